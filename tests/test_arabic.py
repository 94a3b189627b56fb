"""Tests for analysis.arabic: normalisation, offsets, proclitics, word spans, tables."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from analysis.arabic import (
    MONTHS,
    STOPWORDS,
    WEEKDAYS,
    arabic_ratio,
    map_span,
    normalize,
    normalize_with_offsets,
    proclitic_splits,
    strip_article,
    to_western_digits,
    word_spans,
    word_tokens,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

# realistic sentences written for these tests
SENTENCES = [
    "وَقَالَ وزيرُ الداخليةِ إنّ الحكومةَ ستُطلق برنامجاً جديداً في مطلع العام المقبل.",
    "الـمـغـرب يستضيف كأس العالم ٢٠٣٠ بالشراكة مع إسبانيا والبرتغال",
    "أكد المسؤول أن مسئولية المؤسسة تقتضي الشفافية \u200fوالنزاهة\u200f",
    "ﻻ تراجع عن الإصلاحات، قال رئيس الحكومة يوم الثلاثاء ۲۴ يونيو",
    "  Le ministre\u00a0a déclaré que la COVID-19 est terminée.  ",
    "مصطفى يلتقي ڤيكتور في گلميم وپاريس\u200b قبل الانتخابات",
    "ٱلْقُرْآنُ الكريم ۝ ﴿ بِسْمِ ٱللَّهِ ﴾",
    "",
    " \n\t ",
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("الـمَـغْـرِبُ", "المغرب"),  # tatweel and diacritics removed
        ("أحمد إبراهيم آمنة ٱلله", "احمد ابراهيم امنه الله"),  # alef variants, ة -> ه
        ("مصطفى على", "مصطفي علي"),  # ى -> ي
        ("مؤتمر رئيس", "موتمر رييس"),  # ؤ -> و, ئ -> ي
        ("ڤيروس گوگل ڭ پاريس چاد ژاك ی ک", "فيروس كوكل ك باريس جاد زاك ي ك"),
        ("٢٠٢٤ و۱۴", "2024 و14"),  # Arabic-Indic and Persian digits
        ("\u202bالرباط\u202c\u200e \u2066سلا\u2069", "الرباط سلا"),  # bidi controls
        ("الدار\u200bالبيضاء\ufeff و\u00adسلا", "الدارالبيضاء وسلا"),  # zero-width, soft hyphen
        ("COVID Straße", "covid strasse"),  # casefold
        ("  قال \n\n\t الوزير  ", "قال الوزير"),  # whitespace collapsed and stripped
        ("\ufefb \ufe8d\ufedf\ufee4\ufed0\ufeae\ufe8f", "لا المغرب"),  # presentation forms (NFKC)
        ("ﷲ", "الله"),  # ligature (NFKC)
        ("سلا\u00a0الجديدة", "سلا الجديده"),  # no-break space
        ("مَسْؤُولٌ مسئول", "مسوول مسيول"),  # carriers are kept apart (documented)
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent() -> None:
    for sentence in SENTENCES:
        once = normalize(sentence)
        assert normalize(once) == once


def _check_offsets(text: str) -> None:
    norm, offsets = normalize_with_offsets(text)
    assert norm == normalize(text), repr(text)
    assert len(offsets) == len(norm) + 1
    assert offsets[-1] == len(text)
    assert all(a <= b for a, b in zip(offsets, offsets[1:], strict=False))


def test_offsets_agree_with_normalize_on_sentences() -> None:
    for sentence in SENTENCES:
        _check_offsets(sentence)


def test_offsets_agree_with_normalize_on_random_strings() -> None:
    pool = (
        [chr(c) for c in range(0x0600, 0x0700)]
        + [chr(c) for c in range(0x20, 0x7F)]
        + list("\u00a0\u2009\u200f\ufeff\u00ad\ufefb\ufe70\ufe71\ufdfa\u00df\u0130\u00e9"
               "\u0301\u2026\uff11\u3000\ufb01\u1e9e\n\t")
    )
    rng = random.Random(20240422)
    for _ in range(3000):
        _check_offsets("".join(rng.choice(pool) for _ in range(rng.randint(0, 30))))


def test_offsets_map_a_match_back_to_the_written_form() -> None:
    text = "قال إنّ ٱلْمَغْرِبَ  سيستضيف"
    norm, offsets = normalize_with_offsets(text)
    assert norm == "قال ان المغرب سيستضيف"
    start = norm.index("المغرب")
    orig = map_span(text, offsets, start, start + len("المغرب"))
    # the diacritics after the last letter stay in the span, the two spaces do not
    assert text[orig[0]:orig[1]] == "ٱلْمَغْرِبَ"
    word = norm.index("سيستضيف")
    assert map_span(text, offsets, word, len(norm)) == (len(text) - 7, len(text))


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("وبالرباط", [("", "وبالرباط"), ("و", "بالرباط"), ("وب", "الرباط"), ("وبال", "رباط")]),
        ("للمغرب", [("", "للمغرب"), ("ل", "لمغرب"), ("ل", "المغرب"), ("لل", "مغرب")]),
        ("فالحكومه", [("", "فالحكومه"), ("ف", "الحكومه"), ("فال", "حكومه")]),
        # ول + ال is written ولل; the article is restored as ("ول", "الامن")
        ("وللامن", [("", "وللامن"), ("و", "للامن"), ("ول", "لامن"), ("ول", "الامن"),
                    ("ولل", "امن")]),
        ("وبه", [("", "وبه"), ("و", "به")]),  # وب would leave one letter
        ("كتاب", [("", "كتاب"), ("ك", "تاب")]),
        ("رباط", [("", "رباط")]),
    ],
)
def test_proclitic_splits(token: str, expected: list[tuple[str, str]]) -> None:
    assert proclitic_splits(token) == expected


def test_proclitic_splits_are_ordered_and_keep_two_letters() -> None:
    splits = proclitic_splits("وكالمدرسه")
    assert splits[0] == ("", "وكالمدرسه")
    assert [len(p) for p, _ in splits] == sorted(len(p) for p, _ in splits)
    assert ("وكال", "مدرسه") in splits
    assert all(len(stem) >= 2 for _, stem in proclitic_splits("والي"))


def test_strip_article() -> None:
    assert strip_article("الرباط") == "رباط"
    assert strip_article("الله") == "له"  # 4 letters: two remain
    assert strip_article("الم") == "الم"  # one letter would remain
    assert strip_article("مغرب") == "مغرب"


def test_word_spans_offsets_and_forms() -> None:
    text = "وَقالَ الـمسؤولُ: COVID-19 كلّف ٣٫٥ مليار، l'Opinion ٢٠٢٤ ﻻ"
    spans = word_spans(text)
    assert [text[s:e] for s, e, _ in spans] == [
        "وَقالَ", "الـمسؤولُ", "COVID", "19", "كلّف", "٣٫٥", "مليار", "l'Opinion", "٢٠٢٤", "ﻻ",
    ]
    assert [form for _, _, form in spans] == [
        "وقال", "المسوول", "covid", "19", "كلف", "3٫5", "مليار", "l'opinion", "2024", "لا",
    ]
    assert word_tokens(text) == [form for _, _, form in spans]


def test_word_spans_numbers_and_punctuation() -> None:
    text = "بلغ 1,250.5 درهما (أي 3.5%) - «نعم»"
    assert [text[s:e] for s, e, _ in word_spans(text)] == [
        "بلغ", "1,250.5", "درهما", "أي", "3.5", "نعم",
    ]


def test_to_western_digits_only_touches_digits() -> None:
    assert to_western_digits("١٤ أبريل ۲۰۲۵") == "14 أبريل 2025"


def test_arabic_ratio() -> None:
    assert arabic_ratio("abc دجنبر") == pytest.approx(5 / 8)  # 5 Arabic of 8 letters
    assert arabic_ratio("") == 0.0
    assert arabic_ratio("123 !!") == 0.0
    assert arabic_ratio("المغرب") == 1.0


@pytest.mark.parametrize(
    ("names", "month"),
    [
        (["يناير", "جانفي", "كانون الثاني"], 1),
        (["فبراير", "فيفري", "شباط"], 2),
        (["مارس", "آذار"], 3),
        (["أبريل", "ابريل", "إبريل", "أفريل", "نيسان"], 4),
        (["مايو", "ماي", "أيار"], 5),
        (["يونيو", "يونيه", "جوان", "حزيران"], 6),
        (["يوليو", "يوليوز", "جويلية", "تموز"], 7),
        (["أغسطس", "اغسطس", "أغسطوس", "غشت", "أوت", "آب"], 8),
        (["سبتمبر", "شتنبر", "أيلول"], 9),
        (["أكتوبر", "اكتوبر", "تشرين الأول"], 10),
        (["نوفمبر", "نونبر", "تشرين الثاني"], 11),
        (["ديسمبر", "دجنبر", "كانون الأول"], 12),
    ],
)
def test_month_families(names: list[str], month: int) -> None:
    for name in names:
        assert MONTHS[normalize(name)] == month, name


def test_month_keys_are_normalised() -> None:
    assert all(normalize(key) == key for key in MONTHS)
    assert set(MONTHS.values()) == set(range(1, 13))


def test_weekdays() -> None:
    for name in ("الإثنين", "الاثنين", "الأثنين", "اثنين"):
        assert WEEKDAYS[normalize(name)] == 0
    assert WEEKDAYS[normalize("الثلاثاء")] == 1
    assert WEEKDAYS[normalize("الأربعاء")] == 2
    assert WEEKDAYS[normalize("خميس")] == 3
    assert WEEKDAYS[normalize("الجمعة")] == 4
    assert WEEKDAYS[normalize("السبت")] == 5
    assert WEEKDAYS[normalize("الأحد")] == 6
    assert all(normalize(key) == key for key in WEEKDAYS)


def test_stopwords() -> None:
    assert 400 <= len(STOPWORDS) <= 700
    for word in ("في", "قال", "أكد", "أضاف", "أشار", "هذه", "الذي", "عليها", "ثلاثة"):
        assert normalize(word) in STOPWORDS, word
    for word in ("المغرب", "الحكومة", "الرباط", "إرهاب"):
        assert normalize(word) not in STOPWORDS, word
    assert all(normalize(word) == word for word in STOPWORDS)


def test_offsets_agree_on_shared_corpus() -> None:
    seeds = CORPUS / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"shared corpus not available at {seeds}")
    files = sorted(seeds.glob("*.txt"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        _check_offsets(text)
        for start, end, form in word_spans(text):
            assert form == normalize(text[start:end])

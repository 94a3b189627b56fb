"""Tests for analysis.cleaning: line-level web-noise removal, title and dateline detection.

All article texts here were written for these tests (no third-party text).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from analysis.cleaning import CleanedText, clean_text, count_words, is_body_line, tidy_line

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"

TICKER = [
    "• ارتفاع أسعار المحروقات في المغرب للمرة الثالثة هذا الشهر",
    "• المنتخب الوطني يستعد لمواجهة حاسمة أمام نظيره المصري",
    "• الأرصاد الجوية تتوقع أمطارا رعدية بعدد من مناطق المملكة",
    "• وزارة التربية تعلن عن موعد امتحانات البكالوريا الجديدة",
    "• افتتاح معرض الكتاب الدولي بمشاركة أكثر من خمسين دولة",
]
BREADCRUMB = "الرئيسية › أخبار وطنية › سياسة"
BREAKING = "عاجل"
TIMESTAMP = "الخميس 05 يونيو 2025 على الساعة 09:40"
TITLE = "وزير الداخلية يبحث مع نظيره الإسباني تعزيز التنسيق الأمني"
GOOGLETAG = "googletag.pubads().setTargeting('section', 'politique'); googletag.enableServices();"
SHARE = "شارك: فيسبوك تويتر واتساب"
BODY = [
    "أجرى وزير الداخلية، يوم الخميس بالرباط، مباحثات مع نظيره الإسباني تناولت سبل تعزيز "
    "التنسيق الأمني بين البلدين في مجال مكافحة الهجرة غير النظامية والجريمة المنظمة.",
    "وقال الوزير في تصريح للصحافة عقب اللقاء إن المغرب شارك بفعالية في عدة عمليات مشتركة "
    "أسفرت عن تفكيك شبكات للاتجار بالبشر خلال السنة الماضية.",
    "تعاون في مجال التدريب",
    "واتفق الطرفان على تنظيم دورات تكوينية مشتركة لفائدة عناصر الشرطة والدرك، تشمل تقنيات "
    "التحقيق الرقمي وتبادل الخبرات في تأمين التظاهرات الرياضية الكبرى.",
    "ومن المنتظر أن تعقد اللجنة الأمنية المشتركة اجتماعها المقبل في مدريد خلال شهر أكتوبر "
    "القادم، وفق ما أفاد به بلاغ صادر عن الـوزارة.",
]
RELATED = [
    "اقرأ أيضا",
    "- توقيف شخصين للاشتباه في تورطهما في تزوير وثائق رسمية",
    "- الحكومة تصادق على مشروع قانون يتعلق بالحماية الاجتماعية",
]
COPYRIGHT = "© 2025 جميع الحقوق محفوظة لموقع الأخبار المغربية"

PAGE_LINES = [
    *TICKER,  # lines 1-5
    BREADCRUMB,  # 6
    BREAKING,  # 7
    TIMESTAMP,  # 8
    "",  # 9
    TITLE,  # 10
    "",  # 11
    TITLE,  # 12
    GOOGLETAG,  # 13
    SHARE,  # 14
    *BODY,  # 15-19
    *RELATED,  # 20-22
    COPYRIGHT,  # 23
]
EXPECTED_REMOVED = [
    *[(no, "ticker") for no in range(1, 6)],
    (6, "navigation"),
    (7, "breaking"),
    (8, "dateline"),
    (10, "title"),
    (12, "repeated_title"),
    (13, "script"),
    (14, "share"),
    (20, "related"),
    (21, "related"),
    (22, "related"),
    (23, "copyright"),
]


@pytest.fixture(scope="module")
def page() -> CleanedText:
    return clean_text("\n".join(PAGE_LINES))


def test_every_noise_line_removed_with_its_reason(page: CleanedText) -> None:
    assert [(r.line_no, r.reason) for r in page.removed] == EXPECTED_REMOVED
    assert page.removed[11].text == SHARE


def test_every_body_line_survives_in_order(page: CleanedText) -> None:
    # 4 prose paragraphs + 1 subheading; tatweel in "الـوزارة" is kept as written
    assert page.text.split("\n") == BODY


def test_title_and_dateline_detected(page: CleanedText) -> None:
    assert page.title == TITLE
    assert page.dateline == datetime(2025, 6, 5, 9, 40)


def test_body_lines_with_noise_words_are_kept() -> None:
    assert "شارك" in BODY[1] and is_body_line(BODY[1])
    cleaned = clean_text(f"{BODY[1]}\nشارك")
    assert cleaned.text == BODY[1]
    assert [(r.line_no, r.reason) for r in cleaned.removed] == [(2, "share")]
    # without the body-line protection these would match the copyright / script patterns
    tricky = [
        "وأكد المحامي أن جميع الحقوق محفوظة للمتضررين وفق القانون، وأن الدولة ستعوضهم كاملة.",
        "وقال الخبير إن بعض المواقع تستعمل شيفرة مثل window.open لفتح نوافذ إعلانية مزعجة للقراء.",
    ]
    cleaned = clean_text("\n".join(tricky))
    assert cleaned.removed == [] and cleaned.text == "\n".join(tricky)


def test_title_hint_matches_in_matching_form() -> None:
    # hint spelled without hamza and with tatweel; the text's spelling becomes the title
    hint = "وزيـر الداخليه يبحث مع نظيره الاسباني تعزيز التنسيق الامني"
    cleaned = clean_text(f"{TITLE}\n{BODY[0]}", title_hint=hint)
    assert cleaned.title == TITLE
    assert [(r.line_no, r.reason) for r in cleaned.removed] == [(1, "title")]
    assert cleaned.text == BODY[0]


def test_hint_without_match_is_returned_and_text_untouched() -> None:
    cleaned = clean_text(f"{BODY[2]}\n{BODY[0]}", title_hint="عنوان آخر تماما")
    # with a hint, an unrepeated short first line is not guessed as a title
    assert cleaned.title == "عنوان آخر تماما"
    assert cleaned.removed == []
    assert cleaned.text == f"{BODY[2]}\n{BODY[0]}"


def test_no_title_when_text_starts_with_body() -> None:
    cleaned = clean_text("\n".join([BODY[0], BODY[2], BODY[3]]))
    assert cleaned.title is None and cleaned.removed == []
    assert cleaned.text == "\n".join([BODY[0], BODY[2], BODY[3]])


def test_headline_with_final_period_is_not_a_title() -> None:
    first = "وصل الوفد إلى الرباط صباح اليوم."
    cleaned = clean_text(f"{first}\n{BODY[0]}")
    assert cleaned.title is None
    assert cleaned.text.startswith(first)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("(adsbygoogle = window.adsbygoogle || []).push({});", "script"),
        ("<script async src='https://example.org/tag.js'></script>", "script"),
        (".article-body p { margin: 0 auto; color: #333; }", "script"),
        ("var slotId = 'banner-top';", "script"),
        ("خبر عاجل", "breaking"),
        ("عـاجـل:", "breaking"),
        ("BREAKING", "breaking"),
        ("نشر في: 3 شتنبر 2024 - 14:05", "dateline"),
        ("جميع الحقوق محفوظة 2024", "copyright"),
        ("الرئيسية > مجتمع > حوادث", "navigation"),
        ("سياسة | اقتصاد | رياضة | ثقافة", "navigation"),
        ("الرئيسية أخبار سياسة اقتصاد رياضة فيديو", "navigation"),
        ("اقرأ أيضاً: الحكومة تعلن عن إجراءات جديدة لدعم المقاولات الصغرى", "share"),
        ("اقرأ المزيد", "share"),
        ("تابعونا على فيسبوك وتويتر", "share"),
        ("طباعة", "share"),
        ("مشاركة", "share"),
    ],
)
def test_single_noise_lines(line: str, reason: str) -> None:
    cleaned = clean_text(f"{BODY[0]}\n{line}\n{BODY[3]}")
    assert [(r.line_no, r.reason) for r in cleaned.removed] == [(2, reason)]
    assert cleaned.text == f"{BODY[0]}\n{BODY[3]}"


def test_short_subheadings_and_inner_lists_are_kept() -> None:
    inner_list = [
        "- إحداث خلية مشتركة لتبادل المعلومات",
        "- تنظيم دورات تكوينية لفائدة الأطر",
        "- تعزيز المراقبة في المعابر الحدودية",
    ]
    lines = [BODY[0], "أبرز القرارات", *inner_list, BODY[3], BODY[2], BODY[4]]
    cleaned = clean_text("\n".join(lines))
    assert cleaned.removed == []
    assert cleaned.text == "\n".join(lines)


def test_bullet_list_opening_the_article_is_kept() -> None:
    # a bullet run followed directly by the body is content (key points), not a ticker
    lines = [*TICKER[:3], BODY[0], BODY[1]]
    cleaned = clean_text("\n".join(lines))
    assert cleaned.removed == []


def test_related_bullets_at_bottom_need_a_noise_line_before() -> None:
    items = [line.replace("•", "-") for line in TICKER[:3]]
    kept = clean_text("\n".join([BODY[0], *items]))
    assert kept.removed == []
    dropped = clean_text("\n".join([BODY[0], SHARE, *items]))
    # line 2 share, lines 3-5 the bottom bullet run
    assert [(r.line_no, r.reason) for r in dropped.removed] == [
        (2, "share"), (3, "related"), (4, "related"), (5, "related")
    ]


def test_long_prose_with_embedded_widget_code_is_kept() -> None:
    prose = " ".join([BODY[0], BODY[1]])  # 22 + 20 = 42 Arabic words
    line = f"{prose} var plot1 = jQuery.jqplot('pie1', [[ ['a1', 30] ]], {{ grid: {{ }} }});"
    cleaned = clean_text(line)
    assert cleaned.removed == [] and cleaned.text == line


def test_tidy_whitespace_bidi_marks_and_line_numbers() -> None:
    raw = "\u200f  " + BODY[0].replace(" ", "  \t", 1) + " \u200e\r\n\r\n\u00a0\r\n" + BODY[1]
    cleaned = clean_text(raw)
    assert cleaned.text == f"{BODY[0]}\n{BODY[1]}"
    noisy = clean_text(f"{BODY[0]}\r\n\r\nطباعة")
    assert [(r.line_no, r.text) for r in noisy.removed] == [(3, "طباعة")]


def test_helpers() -> None:
    # bullet "•" and ".." are not words: 11 tokens - 2 = 9
    assert count_words("• وزارة الصحة تطلق حملة وطنية للتلقيح .. في 12 إقليما") == 9
    assert tidy_line("\u200f  قال   الوزير\u00a0اليوم \u200e ") == "قال الوزير اليوم"
    assert tidy_line("مفاوضات\u200cجديدة") == "مفاوضات\u200cجديدة"  # inner ZWNJ kept
    assert is_body_line(BODY[0])
    assert not is_body_line(BODY[2])  # 4 words
    assert not is_body_line(TICKER[0])  # 10 words, no final punctuation
    english = "The minister said on Thursday that cooperation between both countries is strong."
    assert not is_body_line(english)  # 13 words but not Arabic


def test_empty_and_blank_input() -> None:
    assert clean_text("") == CleanedText("", None, None, [])
    assert clean_text("\n \n\u200f\n") == CleanedText("", None, None, [])


# ------------------------------------------------------------------ shared seed corpus


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[str, CleanedText]]:
    if not SEEDS.is_dir():
        pytest.skip(f"shared seed corpus not available at {SEEDS}")
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        out[path.name] = (raw, clean_text(raw))
    assert len(out) == 5
    return out


def test_seed_noise_removed(seeds: dict[str, tuple[str, CleanedText]]) -> None:
    removed = [(r.text, r.reason) for _, cleaned in seeds.values() for r in cleaned.removed]
    assert any("googletag" in text and reason == "script" for text, reason in removed)
    assert ("عاجل", "breaking") in removed
    for raw, cleaned in seeds.values():
        raw_lines = [line.strip() for line in raw.splitlines()]
        for line in raw_lines:
            if line.startswith("•"):
                assert line not in cleaned.text.split("\n")
                assert (line, "ticker") in [(r.text, r.reason) for r in cleaned.removed]
            if "googletag" in line:
                assert "googletag" not in cleaned.text


def test_seed_dateline_and_title(seeds: dict[str, tuple[str, CleanedText]]) -> None:
    dated = [c for _, c in seeds.values() if c.dateline is not None]
    assert len(dated) == 1
    cleaned = dated[0]
    assert cleaned.dateline == datetime(2025, 4, 14, 18, 55)
    assert cleaned.title is not None
    reasons = [r.reason for r in cleaned.removed]
    assert reasons.count("title") == 1 and reasons.count("repeated_title") == 1
    assert cleaned.title not in cleaned.text.split("\n")


def test_seed_long_lines_all_kept(seeds: dict[str, tuple[str, CleanedText]]) -> None:
    for name, (raw, cleaned) in seeds.items():
        kept = set(cleaned.text.split("\n"))
        for line in raw.splitlines():
            text = tidy_line(line)
            # bullet lines are the headline ticker (checked above), whatever their length
            if count_words(text) >= 15 and not text.startswith("•"):
                assert text in kept, f"{name}: body line dropped: {text[:40]}"

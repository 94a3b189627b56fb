"""prepare: identical tables whatever the number of processes, and the speed paths of the
text core give exactly the results of the plain definitions they replace."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import spacy

from analysis import arabic
from analysis.prepare import PrepareSettings, prepare_corpus
from analysis.tables import TABLE_NAMES, processed_dir
from analysis.tokenizer import _PLAIN_ARABIC_RE, fix_tokenizer

DEMO = Path(__file__).resolve().parents[1] / "data" / "raw" / "demo"


def _prepare(workdir: Path, n_process: int) -> dict[str, bytes]:
    # batch_size 4: the demo's ~40 articles make ~10 batches, shared by the workers
    settings = PrepareSettings(corpus=DEMO, workdir=workdir, batch_size=4, n_process=n_process)
    summary = prepare_corpus(settings, progress=False)
    assert summary.n_documents > 30
    folder = processed_dir(workdir)
    return {name: (folder / f"{name}.parquet").read_bytes() for name in TABLE_NAMES}


def test_one_and_two_processes_write_byte_identical_tables(tmp_path: Path) -> None:
    one = _prepare(tmp_path / "one", 1)
    two = _prepare(tmp_path / "two", 2)
    assert one.keys() == two.keys() == set(TABLE_NAMES)
    for name in TABLE_NAMES:
        assert one[name] == two[name], f"{name}.parquet differs between --jobs 1 and 2"


# ------------------------------------------------------------------ tokenizer shortcut

_PLAIN_CHARS = [chr(c) for c in (*range(0x0621, 0x063B), *range(0x0640, 0x0660), 0x0670)]


def test_plain_arabic_words_match_no_affix_rule() -> None:
    """The shortcut answers "no match" for plain Arabic words: check that the real rules
    agree on every letter/mark alone, every pair and a few words with marks and tatweel."""
    nlp = fix_tokenizer(spacy.blank("ar"))
    prefix = nlp.tokenizer.prefix_search.method
    suffix = nlp.tokenizer.suffix_search.method
    infixes = nlp.tokenizer.infix_finditer.method
    samples = _PLAIN_CHARS + [a + b for a in _PLAIN_CHARS for b in _PLAIN_CHARS]
    samples += ["وبالمغـــرب", "مُحَمَّد", "الرباط", "لِلأمن", "ءامن"]
    for text in samples:
        assert _PLAIN_ARABIC_RE.fullmatch(text)
        assert prefix(text) is None and suffix(text) is None and not list(infixes(text)), text


def test_shortcut_tokenizer_splits_like_the_plain_rules() -> None:
    fixed = fix_tokenizer(spacy.blank("ar")).tokenizer
    plain = spacy.blank("ar").tokenizer
    plain.prefix_search = fixed.prefix_search.method
    plain.suffix_search = fixed.suffix_search.method
    plain.infix_finditer = fixed.infix_finditer.method
    plain.url_match = fixed.url_match
    text = ("وقال الوزير:«الأمن أولا».وأضاف أن 3.5% من الميزانية (أي 1,200 مليون درهم)"
            " خُصصت للشرطة،والدرك؛ أليس كذلك؟نعم... زوروا hespress.com أو www.le360.ma")
    assert [t.text for t in fixed(text)] == [t.text for t in plain(text)]
    assert fixed.prefix_search.__self__.pattern  # spaCy can still serialise the rules
    assert fix_tokenizer(spacy.blank("ar")).to_bytes()


# ------------------------------------------------------------------ normalisation speed paths


@pytest.mark.parametrize("text", [
    "قال وزير الداخلية إن الأمن مسؤولية الجميع. " * 20,             # long, regular
    ("أكّد المديـــر العام ﻟﻠﺄﻣﻦ في ٢٠٢٤ أن الـﻤﻐﺮﺏ «شريك»\u200f وفرنسا  معا. " * 10),
    "Le ministre a déclaré\u00a0: «\u00a0la coopération est exemplaire\u00a0». " * 8,
])
def test_fast_fold_equals_translate(text: str) -> None:
    assert len(text) >= arabic._SHORT_TEXT
    assert arabic._fold(text) == text.translate(arabic._TABLE).casefold()


@pytest.mark.parametrize("text", [
    "قال وزير الداخلية إن التعاون مثمر",               # identity map
    "قال  وزير الداخلية",                              # space run: a real map
    "أكّد المديـر",                                     # deleted marks: a real map
])
def test_offset_map_is_none_only_for_the_identity(text: str) -> None:
    norm, offsets = arabic.normalize_with_offsets(text)
    norm2, offset_map = arabic.normalize_with_offset_map(text)
    assert norm2 == norm
    if offset_map is None:
        assert offsets == list(range(len(text) + 1)) and len(norm) == len(text)
    else:
        assert offset_map == offsets


def test_proclitic_splits_by_first_letter_equal_a_full_scan() -> None:
    def full_scan(token: str) -> list[tuple[str, str]]:
        splits, seen = [("", token)], {("", token)}
        for prefix, lam_article in arabic._PREFIXES:
            if not token.startswith(prefix) or len(token) - len(prefix) < 2:
                continue
            pairs = [(prefix, token[len(prefix):])]
            if lam_article:
                pairs.insert(0, (prefix[:-1], "ال" + token[len(prefix):]))
            for pair in pairs:
                if pair not in seen:
                    seen.add(pair)
                    splits.append(pair)
        splits[1:] = sorted(splits[1:], key=lambda pair: len(pair[0]))
        return splits

    words = ["وبالمغرب", "للأمن", "فالرباط", "كالمعتاد", "والي", "بن", "مغرب", "ولل", "2024",
             "paris", "ل", unicodedata.normalize("NFKC", "وللمديرية")]
    for word in words:
        assert arabic.proclitic_splits(word) == full_scan(word), word

"""Arabic text core: matching-form normalisation, offset maps, proclitics, word spans.

The *matching form* produced by :func:`normalize` is only used to compare and count
words; the text shown to people always stays as written.  :func:`normalize_with_offsets`
gives the same string plus a map back into the original, so that a match found in the
normalised text can be reported with offsets into the original text.

Choices (documented because matching depends on them):

* hamza carriers: أ إ آ ٱ -> ا, ؤ -> و, ئ -> ي (the hamza is dropped: writing the bare
  carrier is the most frequent variation in news text, e.g. رئيس/رييس, مؤتمر/موتمر; the
  rare pairs this merges are acceptable for matching).  Cross-carrier spellings are NOT
  unified: مسؤول -> مسوول but the Egyptian مسئول -> مسيول (list both in a codebook);
* ى -> ي and ة -> ه (final-letter spelling variation, very common in Egyptian and
  Maghrebi typography);
* Persian/Urdu/Maghrebi letters: ڤ->ف, گ ڭ ک->ك, پ->ب, چ->ج, ژ->ز, ی->ي, ە ۀ ہ ۂ->ه, ۓ ے->ي;
* diacritics (U+064B-U+065F, U+0670), Quranic marks (U+06D6-U+06ED), tatweel, bidi controls,
  zero-width characters and the soft hyphen are removed;
* Arabic-Indic and Persian digits become 0-9; Latin is casefolded; NFKC folds presentation
  forms (ﻻ -> لا) and full-width characters; whitespace runs collapse to one space.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

__all__ = [
    "MONTHS",
    "STOPWORDS",
    "WEEKDAYS",
    "arabic_ratio",
    "map_span",
    "normalize",
    "normalize_with_offset_map",
    "normalize_with_offsets",
    "proclitic_splits",
    "strip_article",
    "to_western_digits",
    "word_spans",
    "word_tokens",
]

# ---------------------------------------------------------------------------
# translation tables
# ---------------------------------------------------------------------------

_DIACRITICS = [*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)]
_INVISIBLE = [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
              0x200B, 0x200C, 0x200D, 0xFEFF, 0x00AD]
_TATWEEL = 0x0640
_DELETED = frozenset(chr(c) for c in (*_DIACRITICS, *_INVISIBLE, _TATWEEL))

_LETTER_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    "ڤ": "ف", "گ": "ك", "ڭ": "ك", "ک": "ك", "پ": "ب", "چ": "ج", "ژ": "ز", "ی": "ي",
    "ە": "ه", "ۀ": "ه", "ہ": "ه", "ۂ": "ه", "ۓ": "ي", "ے": "ي",
}
_DIGIT_MAP = {chr(0x0660 + i): str(i) for i in range(10)} | {
    chr(0x06F0 + i): str(i) for i in range(10)
}

_TABLE: dict[int, str | None] = {ord(c): None for c in _DELETED}
_TABLE.update({ord(k): v for k, v in _LETTER_MAP.items()})
_TABLE.update({ord(k): v for k, v in _DIGIT_MAP.items()})
_DIGIT_TABLE = {ord(k): v for k, v in _DIGIT_MAP.items()}


def _precomposed_compat_forms() -> dict[int, str]:
    """NFKC folded into the table for frequent compatibility characters (no-break and other
    spaces, presentation forms, ligatures, full-width forms, punctuation like ellipsis), so
    the common case never needs a real NFKC pass."""
    ranges = [(0x00A0, 0x00A1), (0x2000, 0x2070), (0xFB00, 0xFB07), (0xFB50, 0xFE00),
              (0xFE70, 0xFEFF), (0xFF01, 0xFFEF)]
    forms: dict[int, str] = {}
    for low, high in ranges:
        for cp in range(low, high):
            ch = chr(cp)
            if ch in _DELETED or unicodedata.combining(ch):
                continue
            nfkc = unicodedata.normalize("NFKC", ch)
            if nfkc != ch and not any(unicodedata.combining(c) for c in nfkc.lstrip(" ")):
                forms[cp] = nfkc.translate(_TABLE).casefold()
            elif nfkc != ch:  # e.g. isolated shadda forms: space + mark -> space
                forms[cp] = "".join(
                    c for c in nfkc if not unicodedata.combining(c)
                ).translate(_TABLE).casefold()
    for cp in range(0x110000):
        if chr(cp).isspace() and cp not in forms:
            forms[cp] = " "
    return forms


_TABLE.update(_precomposed_compat_forms())

# characters whose translate+casefold output is not exactly one character
_IRREGULAR_RE = re.compile(
    "["
    + re.escape("".join(
        chr(c) for c in range(0x10000) if len(chr(c).translate(_TABLE).casefold()) != 1
    ))
    + "]"
)
_SPACE_RUN_RE = re.compile("^ +| +$| {2,}")

# The table as per-character replacements. No replacement contains a replaced character, so
# replacing the few distinct characters a long text holds, one after the other, is the same
# as ``translate`` and several times faster (translate looks every character up in a dict).
_CHANGES = {chr(c): form or "" for c, form in _TABLE.items() if (form or "") != chr(c)}
assert not any(ch in _CHANGES for form in _CHANGES.values() for ch in form)
_CHANGED_RE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_CHANGES)) + "]")
_SHORT_TEXT = 200


def _fold(text: str) -> str:
    """``text.translate(_TABLE).casefold()``, computed faster for long texts."""
    if len(text) < _SHORT_TEXT:
        return text.translate(_TABLE).casefold()
    for ch in set(_CHANGED_RE.findall(text)):
        text = text.replace(ch, _CHANGES[ch])
    return text.casefold()


@lru_cache(maxsize=4096)
def _char_form(ch: str) -> str:
    """Translate + casefold of one character (before NFKC)."""
    return ch.translate(_TABLE).casefold()


def normalize(text: str) -> str:
    """Return the matching form of ``text`` (see the module docstring for every rule)."""
    folded = _fold(text)
    if not unicodedata.is_normalized("NFKC", folded):
        return _slow_offsets(text)[0]
    return " ".join(folded.split())


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise like :func:`normalize` and map every normalised character to the original.

    ``offsets[i]`` is the index in ``text`` of the character that produced ``norm[i]``, and
    ``offsets[len(norm)] == len(text)``.  A span ``norm[s:e]`` corresponds to
    ``text[offsets[s]:offsets[e]]`` (use :func:`map_span` to drop trailing spaces).
    """
    norm, offsets = normalize_with_offset_map(text)
    return norm, list(range(len(text) + 1)) if offsets is None else offsets


def normalize_with_offset_map(text: str) -> tuple[str, list[int] | None]:
    """:func:`normalize_with_offsets`, with ``None`` for the map when it is the identity
    (``norm[i]`` comes from ``text[i]``, the usual case for clean text): building a list of
    one int per character costs more than the normalisation itself on long texts."""
    folded = _fold(text)
    if not unicodedata.is_normalized("NFKC", folded):
        return _slow_offsets(text)
    # stage 1: deletions and expansions (the table already turned every space into " ")
    if _IRREGULAR_RE.search(text) is None:
        if _SPACE_RUN_RE.search(folded) is None:
            return folded, None
        origins = list(range(len(text)))
    else:
        origins = []
        pos = 0
        for match in _IRREGULAR_RE.finditer(text):
            origins.extend(range(pos, match.start()))
            origins.extend([match.start()] * len(_char_form(match.group())))
            pos = match.end()
        origins.extend(range(pos, len(text)))
    # stage 2: collapse runs of spaces, strip both ends
    if _SPACE_RUN_RE.search(folded) is None:
        origins.append(len(text))
        return folded, origins
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for match in _SPACE_RUN_RE.finditer(folded):
        pieces.append(folded[pos:match.start()])
        offsets.extend(origins[pos:match.start()])
        if match.start() > 0 and match.end() < len(folded):
            pieces.append(" ")
            offsets.append(origins[match.start()])
        pos = match.end()
    pieces.append(folded[pos:])
    offsets.extend(origins[pos:])
    offsets.append(len(text))
    return "".join(pieces), offsets


def _slow_offsets(text: str) -> tuple[str, list[int]]:
    """General path: NFKC applied per combining sequence, so offsets stay exact."""
    chars: list[str] = []
    origins: list[int] = []
    for index, ch in enumerate(text):
        form = _char_form(ch)
        chars.extend(form)
        origins.extend([index] * len(form))
    pieces: list[tuple[str, int]] = []
    start = 0
    while start < len(chars):
        end = start + 1
        while end < len(chars) and unicodedata.combining(chars[end]):
            end += 1
        chunk = "".join(chars[start:end])
        if not unicodedata.is_normalized("NFKC", chunk):
            chunk = "".join(_char_form(c) for c in unicodedata.normalize("NFKC", chunk))
        pieces.extend((c, origins[start]) for c in chunk)
        start = end
    out: list[str] = []
    offsets: list[int] = []
    pending_space = -1
    for ch, origin in pieces:
        if ch.isspace():
            if pending_space < 0:
                pending_space = origin
            continue
        if pending_space >= 0 and out:
            out.append(" ")
            offsets.append(pending_space)
        pending_space = -1
        out.append(ch)
        offsets.append(origin)
    offsets.append(len(text))
    return "".join(out), offsets


def map_span(text: str, offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Map the normalised span ``[start, end)`` to ``(start, end)`` in the original ``text``.

    Trailing whitespace and invisible characters are excluded; diacritics and tatweel that
    follow the last letter stay inside the span.
    """
    orig_start = offsets[start]
    orig_end = offsets[end] if end > start else orig_start
    while orig_end > orig_start and (
        text[orig_end - 1].isspace() or ord(text[orig_end - 1]) in _INVISIBLE
    ):
        orig_end -= 1
    return orig_start, orig_end


def to_western_digits(text: str) -> str:
    """Replace Arabic-Indic (٠-٩) and Persian (۰-۹) digits by 0-9; nothing else changes."""
    return text.translate(_DIGIT_TABLE)


def _is_arabic_letter(ch: str) -> bool:
    cp = ord(ch)
    return (0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF
            or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFC)


def arabic_ratio(text: str) -> float:
    """Share of the letters (``str.isalpha``) in ``text`` that are Arabic; 0.0 without letters."""
    letters = 0
    arabic = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if _is_arabic_letter(ch):
                arabic += 1
    return arabic / letters if letters else 0.0


# ---------------------------------------------------------------------------
# proclitics
# ---------------------------------------------------------------------------

_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")


def _build_prefixes() -> tuple[tuple[str, bool], ...]:
    """All proclitic combinations, each with a flag 'ends in ل+ال written لل'."""
    prefixes: set[tuple[str, bool]] = set()
    for conj in _CONJUNCTIONS:
        for prep in _PREPOSITIONS:
            prefixes.add((conj + prep, False))
            if prep == "ل":
                prefixes.add((conj + "لل", True))
            else:
                prefixes.add((conj + prep + "ال", False))
    prefixes.discard(("", False))
    return tuple(sorted(prefixes, key=lambda p: (len(p[0]), p[0])))


_PREFIXES = _build_prefixes()
# the same prefixes grouped by first letter (order kept): most tokens start with a letter
# no proclitic starts with and skip the loop entirely
_PREFIXES_BY_FIRST: dict[str, tuple[tuple[str, bool], ...]] = {
    first: tuple(p for p in _PREFIXES if p[0][0] == first) for first in {p[0][0] for p in _PREFIXES}
}


def proclitic_splits(token: str) -> list[tuple[str, str]]:
    """Candidate (prefix, stem) readings of a normalised token, ``("", token)`` first.

    Prefixes are the combinations of a conjunction (و ف), a preposition (ب ك ل) and the
    article ال, e.g. و وب وبال فال كال.  ل + ال is written لل: for ``للمغرب`` the list holds
    ``("ل", "لمغرب")``, ``("ل", "المغرب")`` (the article restored, so codebook forms with
    ال match) and ``("لل", "مغرب")``.  Ordered by prefix length; the stem keeps >= 2 letters.
    """
    splits = [("", token)]
    prefixes = _PREFIXES_BY_FIRST.get(token[:1])
    if not prefixes:
        return splits
    seen = {("", token)}
    for prefix, lam_article in prefixes:
        if not token.startswith(prefix) or len(token) - len(prefix) < 2:
            continue
        stem = token[len(prefix):]
        candidates = [(prefix, stem)]
        if lam_article:
            candidates.insert(0, (prefix[:-1], "ال" + stem))
        for pair in candidates:
            if pair not in seen:
                seen.add(pair)
                splits.append(pair)
    splits[1:] = sorted(splits[1:], key=lambda pair: len(pair[0]))
    return splits


def strip_article(stem: str) -> str:
    """Drop a leading article ال if at least two letters remain (``الرباط`` -> ``رباط``)."""
    if stem.startswith("ال") and len(stem) >= 4:
        return stem[2:]
    return stem


# ---------------------------------------------------------------------------
# words
# ---------------------------------------------------------------------------

_AR_LETTERS = "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff" \
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdf9\ufdfc\ufe70-\ufefc"
_LATIN_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
_MARKS = "\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u0300-\u036f\u200c\u200d"
_LETTER = f"[{_AR_LETTERS}{_LATIN_LETTERS}]"
_ALNUM = f"[{_AR_LETTERS}{_LATIN_LETTERS}{_DIGITS}]"
_INNER = f"[{_AR_LETTERS}{_LATIN_LETTERS}{_DIGITS}{_MARKS}]"
_NUMBER = f"[{_DIGITS}]+(?:[.,\u066b\u066c][{_DIGITS}]+)*"
_WORD_RE = re.compile(
    f"{_NUMBER}(?!{_INNER})|{_ALNUM}{_INNER}*(?:['\u2019]{_LETTER}{_INNER}*)*"
)


@lru_cache(maxsize=262144)
def _normalize_word(word: str) -> str:
    return normalize(word)


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, normalised form)`` of every word, offsets into the ORIGINAL text.

    A word is a run of Arabic or Latin letters and digits, with diacritics, tatweel and
    ZWNJ/ZWJ allowed inside it.  An apostrophe between letters joins (``l'Opinion``); a
    hyphen splits (``COVID-19`` -> ``covid``, ``19``).  Numbers keep one internal decimal or
    thousands separator between digits (``3.5``, ``٣٫٥`` -> ``3٫5``, ``1,000``).
    """
    return [(m.start(), m.end(), _normalize_word(m.group())) for m in _WORD_RE.finditer(text)]


def word_tokens(text: str) -> list[str]:
    """Normalised word forms of ``text`` in order (see :func:`word_spans`)."""
    return [_normalize_word(m.group()) for m in _WORD_RE.finditer(text)]


# ---------------------------------------------------------------------------
# calendar words and stop words
# ---------------------------------------------------------------------------

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("يناير", "ينائر", "جانفي", "جانفييه", "كانون الثاني", "كانون ثاني"),
    2: ("فبراير", "فبرائر", "فبرير", "فيفري", "شباط"),
    3: ("مارس", "آذار", "اذار"),
    4: ("أبريل", "ابريل", "إبريل", "أبريل", "أفريل", "افريل", "نيسان"),
    5: ("مايو", "ماي", "أيار", "ايار"),
    6: ("يونيو", "يونيه", "يونية", "جوان", "حزيران"),
    7: ("يوليو", "يوليوز", "يوليه", "يولية", "جويلية", "جويليه", "تموز"),
    8: ("أغسطس", "اغسطس", "أغسطوس", "اغسطوس", "أغشت", "غشت", "أوت", "اوت", "آب"),
    9: ("سبتمبر", "سيبتمبر", "شتنبر", "أيلول", "ايلول"),
    10: ("أكتوبر", "اكتوبر", "أكتوبير", "تشرين الأول", "تشرين أول"),
    11: ("نوفمبر", "نوفمبير", "نونبر", "تشرين الثاني", "تشرين ثاني"),
    12: ("ديسمبر", "ديسمبير", "دجنبر", "كانون الأول", "كانون أول"),
}
MONTHS: dict[str, int] = {
    normalize(name): month for month, names in _MONTH_NAMES.items() for name in names
}

_WEEKDAY_NAMES: dict[int, tuple[str, ...]] = {
    0: ("الاثنين", "الإثنين", "الأثنين", "الاتنين", "الإتنين"),
    1: ("الثلاثاء", "الثلاثا", "التلات"),
    2: ("الأربعاء", "الاربعاء", "الأربعا"),
    3: ("الخميس",),
    4: ("الجمعة",),
    5: ("السبت",),
    6: ("الأحد", "الاحد"),
}
WEEKDAYS: dict[str, int] = {}
for _day, _names in _WEEKDAY_NAMES.items():
    for _name in _names:
        _form = normalize(_name)
        WEEKDAYS[_form] = _day
        WEEKDAYS[_form[2:]] = _day  # without the article: اثنين, خميس, جمعه ...


def _load_stopwords() -> frozenset[str]:
    raw = resources.files("analysis").joinpath("resources/stopwords_ar.txt").read_text("utf-8")
    words = set()
    for line in raw.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(normalize(line))
    return frozenset(words)


STOPWORDS: frozenset[str] = _load_stopwords()

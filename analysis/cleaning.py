"""Line-level removal of web noise from scraped article text, with title and dateline detection.

Precision first: a *body line* (>= 12 words, mostly Arabic letters, and sentence punctuation
at its end - or at its start, where right-to-left scraping moved it - or >= 30 words; or any
line with >= 30 Arabic words, even with widget code pasted into it) is never removed,
whatever words it contains. Every other line is tested, in this order, for:

* ``script``     JavaScript/CSS/ad/tracking code (googletag, adsbygoogle, function(, ...);
* ``breaking``   a line that is only a "breaking" label (عاجل, خبر عاجل, BREAKING);
* ``dateline``   a timestamp line (``analysis.dates.parse_dateline``); the first one gives
  ``CleanedText.dateline``;
* ``copyright``  ©, جميع الحقوق محفوظة, all rights reserved;
* ``navigation`` breadcrumbs (``الرئيسية > أخبار > سياسة``), menus of section names;
* ``share``      share/print/read-more/follow-us lines (شارك، طباعة، اقرأ المزيد، اقرأ أيضا: ...);
* ``related``    a "related articles" header (اقرأ أيضا، مقالات ذات صلة، الأكثر قراءة) and the
  non-body lines after it; a run of >= 3 headline-like bullet lines at the bottom that
  follows a noise line (share, copyright ...);
* ``ticker``     a run of >= 3 headline-like bullet lines (• ▪ - * · ...) at the top, followed
  by noise or a non-bullet short line (the title), not directly by the body;
* ``title`` / ``repeated_title``: the line equal to ``title_hint``, else the first content
  line when the next content line repeats it, else (no hint) a headline-like first content
  line (3-20 words, no final period) that comes before the first body line.

Short lines between body paragraphs (section subheadings) are kept. Blank lines are dropped
without a record. Kept lines are tidied - whitespace runs collapsed, bidi/zero-width marks
removed at the line ends - and joined with "\\n"; words are never changed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime

from analysis.arabic import normalize
from analysis.dates import parse_dateline

BODY_MIN_WORDS = 12
BODY_ANY_PUNCT_WORDS = 30
TITLE_MAX_WORDS = 20
TITLE_MIN_WORDS = 3
SHORT_LINE_WORDS = 10
TICKER_MIN_LINES = 3

_LINE_BREAK_RE = re.compile("\r\n|[\r\n\u2028\u2029]")
_EDGE_MARKS = "".join(map(chr, [*range(0x200B, 0x2010), *range(0x202A, 0x202F),
                                 *range(0x2066, 0x206A), 0x061C, 0xFEFF, 0x00AD]))
_NON_WORD_TOKEN_RE = re.compile(r"(?:^| )[^\w ]+(?= |$)")
_CLOSERS = "\"'”’»)]}›"
_SENTENCE_END = ".!?؟…:؛"
_BULLET_RE = re.compile(r"^(?:[•▪◦●■►▸➤❖◆◇○·]|[-*–—](?=\s))\s*")
_SCRIPT_RE = re.compile(
    r"googletag|adsbygoogle|\bgtag\s*\(|\bfbq\s*\(|\b_gaq\b|\bdataLayer\b|\bfunction\s*\(|"
    r"=>\s*\{|\bwindow\.\w|\bdocument\.\w|</?\s*(?:script|style|iframe|div)\b|<!--|-->|"
    r"\b(?:var|let|const)\s+[\w$]+\s*=|\}\s*\)\s*\(?\s*\)?\s*;|^\s*[{}]\s*;?\s*$|"
    r"@media\b|!important\b|^[\w\s.#:,>*\[\]=\"'-]+\{[^{}]*:[^{}]*\}?\s*$",
    re.IGNORECASE,
)
_ARABIC_LETTERS = (
    "\u0621-\u063a\u0641-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff"
    "\ufb50-\ufdff\ufe70-\ufefc"
)
_ARABIC_LETTER_RE = re.compile(f"[{_ARABIC_LETTERS}]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_ARABIC_WORD_RE = re.compile(f"(?:^|(?<=\\s))[^\\s]*[{_ARABIC_LETTERS}]")
_PUNCT_RE = re.compile(r"[^\w\s]|_")
_COPYRIGHT_RE = re.compile(
    r"©|\(c\)\s*\d{4}|all rights reserved|copyright|جميع الحقوق محفوظه|حقوق النشر محفوظه|"
    r"الحقوق محفوظه",
    re.IGNORECASE,
)
_NAV_SEPARATORS_RE = re.compile(r"(?:^|\s)[›>|»](?=\s|$)\s*")

# keyword lists; turned into matching form (analysis.arabic.normalize) below
_BREAKING = {"عاجل", "خبر عاجل", "اخبار عاجله", "عاجل الان", "breaking", "breaking news",
             "urgent"}
_RELATED_HEADERS = {
    "اقرا ايضا", "اقرا كذلك", "اقرا المزيد من الاخبار", "مقالات ذات صله", "اخبار ذات صله",
    "مواضيع ذات صله", "ذات صله", "مواضيع متعلقه", "الاكثر قراءه", "الاكثر مشاهده",
    "الاكثر تداولا", "الاكثر تعليقا", "قد يهمك", "قد يهمك ايضا", "شاهد ايضا", "اخترنا لك",
    "related", "related articles", "read also", "most read", "see also",
}
_READ_MORE_PREFIXES = ("اقرا ايضا", "اقرا كذلك", "اقرا المزيد", "شاهد ايضا", "تابعونا على",
                       "تابعونا عبر", "تابعوا", "read more", "read also")
_SHARE_CORE = {
    "شارك", "شاركها", "شاركوا", "مشاركه", "المشاركه", "طباعه", "اطبع", "اطبع الخبر", "تغريد",
    "فيسبوك", "فيس", "بوك", "تويتر", "واتساب", "واتس", "اب", "تلغرام", "تيليغرام", "تيليجرام",
    "لينكدان", "انستغرام", "انستجرام", "يوتيوب", "ماسنجر", "ايميل", "تابعونا", "facebook",
    "twitter", "whatsapp", "telegram", "linkedin", "instagram", "youtube", "messenger", "email",
    "print", "share", "tweet", "pinterest", "reddit", "x", "حفظ", "نسخ", "الرابط", "ارسل",
    "لصديق", "تعليق", "تعليقات", "التعليقات", "اضف", "الخط", "تكبير", "تصغير", "حجم",
}
_SHARE_GLUE = {"على", "علي", "عبر", "مع", "هذا", "هذه", "الخبر", "المقال", "الموضوع", "في",
               "و", "او", "the", "on", "via", "this", "article"}
_NAV_WORDS = {
    "الرييسيه", "رييسيه", "اخبار", "الاخبار", "سياسه", "السياسه", "اقتصاد", "الاقتصاد", "رياضه",
    "الرياضه", "ثقافه", "الثقافه", "فن", "فنون", "مجتمع", "المجتمع", "دولي", "دوليه", "وطني",
    "وطنيه", "جهات", "فيديو", "صور", "منوعات", "تكنولوجيا", "صحه", "الصحه", "راي", "الراي",
    "مقالات", "كتاب", "اتصل", "بنا", "من", "نحن", "عربي", "العالم", "عالم", "مال", "اعمال",
    "المال", "والاعمال", "تقارير", "حوارات", "ملفات", "محليات", "المحليات", "خدمات", "اعلن",
    "معنا", "الطقس", "بث", "مباشر", "home", "news", "politics", "sports", "economy",
}


def _bare(norm: str) -> str:
    """Matching form without punctuation, for comparing whole-line labels."""
    return " ".join(_PUNCT_RE.sub(" ", norm).split())


def _matching_forms(words: set[str] | tuple[str, ...]) -> frozenset[str]:
    """Keyword entries in the matching form used for comparison (same as the lines get)."""
    return frozenset(_bare(normalize(word)) for word in words)


_BREAKING = _matching_forms(_BREAKING)
_RELATED_HEADERS = _matching_forms(_RELATED_HEADERS)
_READ_MORE_PREFIXES = tuple(sorted(_matching_forms(_READ_MORE_PREFIXES)))
_SHARE_CORE = _matching_forms(_SHARE_CORE)
_SHARE_GLUE = _matching_forms(_SHARE_GLUE)
_NAV_WORDS = _matching_forms(_NAV_WORDS)


@dataclass
class RemovedLine:
    """A line that cleaning dropped, with its 1-based line number in the raw text and why."""

    line_no: int
    text: str
    reason: str


@dataclass
class CleanedText:
    """The article body (one kept line = one paragraph) plus what cleaning found and dropped."""

    text: str
    title: str | None
    dateline: datetime | None
    removed: list[RemovedLine]


@dataclass
class _Line:
    no: int
    text: str
    norm: str
    words: int
    body: bool
    bullet: bool
    reason: str | None = None


def tidy_line(line: str) -> str:
    """Collapse whitespace runs and drop bidi/zero-width marks at both ends; words unchanged."""
    return " ".join(line.split()).strip(_EDGE_MARKS + " ")


def count_words(text: str) -> int:
    """Space-separated tokens of a tidied line that contain a letter or digit (not bullets)."""
    return len(text.split()) - len(_NON_WORD_TOKEN_RE.findall(text))


def _arabic_share(text: str) -> float:
    """Share of the letters that are Arabic (as ``analysis.arabic.arabic_ratio``, regex-fast)."""
    n_letters = len(_LETTER_RE.findall(text))
    return len(_ARABIC_LETTER_RE.findall(text)) / n_letters if n_letters else 0.0


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS + " ")
    if stripped.endswith(".."):  # ellipsis style "..": headlines use it, not a sentence end
        return stripped.endswith("...")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_body_line(text: str, words: int | None = None) -> bool:
    """Long Arabic prose: >= 12 words, mostly Arabic letters and sentence punctuation at the end
    (or start) or >= 30 words; or >= 30 Arabic words whatever else the line holds (prose with
    embedded widget code is kept rather than dropped)."""
    n_words = count_words(text) if words is None else words
    if n_words < BODY_MIN_WORDS:
        return False
    if n_words >= BODY_ANY_PUNCT_WORDS:
        first_arabic_words = itertools.islice(_ARABIC_WORD_RE.finditer(text), BODY_ANY_PUNCT_WORDS)
        if sum(1 for _ in first_arabic_words) == BODY_ANY_PUNCT_WORDS:
            return True
    if _arabic_share(text) < 0.5:
        return False
    starts_with_punct = text.lstrip(_CLOSERS + "\"“«( ")[:1] in (".", "؟", "!", "?")
    return n_words >= BODY_ANY_PUNCT_WORDS or _ends_sentence(text) or starts_with_punct


def _is_navigation(line: _Line) -> bool:
    if line.words > 20:
        return False
    bare = _bare(line.norm)
    if bare.startswith("الرييسيه") and line.words <= 12:
        return True
    text = line.text.replace("»", "") if "«" in line.text else line.text
    separators = _NAV_SEPARATORS_RE.findall(text)
    segments = [s for s in _NAV_SEPARATORS_RE.split(text) if s.strip()]
    if len(separators) >= 2 and len(segments) >= 3 and all(
        count_words(s) <= 4 and ":" not in s and not _ends_sentence(s) for s in segments
    ):
        return True
    tokens = bare.split()
    return len(tokens) >= 4 and all(token in _NAV_WORDS for token in tokens)


def _is_share(line: _Line) -> bool:
    bare = _bare(line.norm)
    if line.words <= 25 and any(
        bare.startswith(prefix + " ") and bare not in _RELATED_HEADERS
        for prefix in _READ_MORE_PREFIXES
    ):
        return True
    if bare in ("اقرا المزيد", "read more"):
        return True
    tokens = [t for t in bare.split() if not t.isdigit()]
    if not tokens or line.words > SHORT_LINE_WORDS:
        return False
    core = sum(token in _SHARE_CORE for token in tokens)
    return core >= 1 and all(t in _SHARE_CORE or t in _SHARE_GLUE for t in tokens)


def _line_reason(line: _Line) -> str | None:
    """The noise reason of one non-body line taken on its own (position-free rules)."""
    if _SCRIPT_RE.search(line.text):
        return "script"
    bare = _bare(line.norm)
    if bare in _BREAKING:
        return "breaking"
    if line.words <= 15 and parse_dateline(line.text) is not None:
        return "dateline"
    if line.words <= 25 and _COPYRIGHT_RE.search(line.norm):
        return "copyright"
    if _is_navigation(line):
        return "navigation"
    if _is_share(line):
        return "share"
    return None


def _mark_related_runs(lines: list[_Line]) -> None:
    """A related-articles header and the non-body lines after it, up to the next body line."""
    in_run = False
    for line in lines:
        if line.body:
            in_run = False
        elif _bare(line.norm) in _RELATED_HEADERS:
            line.reason, in_run = "related", True
        elif in_run and line.reason is None:
            line.reason = "related"


def _is_ticker_item(line: _Line) -> bool:
    """A bullet line that reads like a headline: 3-20 words, no sentence punctuation at its end."""
    return (line.bullet and not line.body and TITLE_MIN_WORDS <= line.words <= TITLE_MAX_WORDS
            and not _ends_sentence(line.text))


def _mark_bullet_run(lines: list[_Line], reason: str, at_bottom: bool = False) -> None:
    """Mark a run of >= 3 headline-like bullet lines at the start of ``lines`` (reversed for
    the bottom) when it is cut off from the body: at the top by noise or a non-bullet,
    non-body line (the title); at the bottom by a noise line (share, copyright...).

    Lines already marked are skipped. The separation condition keeps a bullet list that
    opens or closes the article itself (steps, decisions, ingredients) in the text.
    """
    run: list[_Line] = []
    next_line: _Line | None = None
    for line in lines:
        if run and line.reason is not None:
            next_line = line
            break
        if line.reason is not None:
            continue
        if not _is_ticker_item(line):
            next_line = line
            break
        run.append(line)
    if len(run) < TICKER_MIN_LINES or next_line is None or next_line.body or next_line.bullet:
        return
    if at_bottom and next_line.reason is None:
        return
    for line in run:
        line.reason = reason


def _same_title(a: str, b: str) -> bool:
    return _bare(normalize(a)) == _bare(normalize(b))


def _looks_like_headline(line: _Line) -> bool:
    return (TITLE_MIN_WORDS <= line.words <= TITLE_MAX_WORDS and not line.body
            and not _ends_sentence(line.text) and _arabic_share(line.text) >= 0.5)


def _mark_title(lines: list[_Line], title_hint: str | None) -> str | None:
    """Mark the title line(s) in the head (before the first body line); return the title.

    Only the first three content lines can be the title; its repetitions in the head are
    ``repeated_title``. Without a detected title, the hint itself is returned.
    """
    content = [line for line in lines if line.reason is None]
    first_body = next((i for i, line in enumerate(content) if line.body), len(content))
    head = content[:first_body]
    hint = title_hint.strip() if title_hint and title_hint.strip() else None
    title: str | None = None
    if hint:
        title = next((ln.text for ln in head[:3] if _same_title(ln.text, hint)), None)
    if title is None and head and head[0].words <= TITLE_MAX_WORDS and not head[0].bullet:
        repeated = len(head) > 1 and _same_title(head[1].text, head[0].text)
        if repeated or (hint is None and first_body < len(content)
                        and _looks_like_headline(head[0])):
            title = head[0].text
    if title is None:
        return hint
    first_seen = False
    for line in head:
        if _same_title(line.text, title):
            line.reason = "repeated_title" if first_seen else "title"
            first_seen = True
    return title


def clean_text(raw: str, title_hint: str | None = None) -> CleanedText:
    """Remove web noise line by line from ``raw``; see the module docstring for the rules.

    ``title_hint`` (e.g. the title from metadata or HTML) is matched in the text in
    matching form; when no title line is found the hint itself is returned as ``title``.
    """
    lines: list[_Line] = []
    for no, raw_line in enumerate(_LINE_BREAK_RE.split(raw), start=1):
        text = tidy_line(raw_line)
        if not text:
            continue
        words = count_words(text)
        body = is_body_line(text, words)
        norm = "" if body else normalize(text)  # body lines are never matched against keywords
        lines.append(_Line(no, text, norm, words, body, bool(_BULLET_RE.match(text))))
    dateline: datetime | None = None
    for line in lines:
        if line.body:
            continue
        line.reason = _line_reason(line)
        if line.reason == "dateline" and dateline is None:
            dateline = parse_dateline(line.text)
    _mark_related_runs(lines)
    _mark_bullet_run(lines, "ticker")
    title = _mark_title(lines, title_hint)
    _mark_bullet_run(lines[::-1], "related", at_bottom=True)
    removed = [RemovedLine(line.no, line.text, line.reason) for line in lines if line.reason]
    kept = "\n".join(line.text for line in lines if line.reason is None)
    return CleanedText(kept, title, dateline, removed)

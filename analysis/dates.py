"""Dates in Arabic news text: dates mentioned, datelines, metadata dates.

The publication-date estimate built on them lives in :mod:`analysis.publication`.

Everything is matched on the normalised text of :func:`analysis.arabic.normalize_with_offsets`
(so hamza/alef spellings, tatweel, diacritics and Arabic-Indic digits need no special cases)
and reported with offsets into the original text.  ``dateparser`` is deliberately not used:
it misses the Maghrebi month names (دجنبر، شتنبر، غشت ...) and fires on counts and prices.

Rules in short (details in the function docstrings):

* a *day* date is ``[weekday] day [من] [شهر] month[/second name] [year] [relative word]``,
  numeric ``14/04/2025`` ``14-04-2025`` ``2025-04-14`` (day first; month first only when
  day first is impossible), or ``فاتح/الفاتح من`` + month (= the 1st);
* a *month* date is ``[qualifier] [شهر] month [year] [relative word]`` where a bare month
  name must carry شهر, a qualifier (منتصف مطلع أواخر ...), a year or a relative word;
* a *year* date is a 4-digit year 1950-2100 after a context word (عام سنة صيف منذ في ...);
  a year followed by a counted noun (مليون، درهم، سنة، منزل ...) is rejected, and after the
  weak context words (في منذ خلال حتى ...) the next word must be a function word, a
  definite noun, a month or punctuation, so ``في 2000 منزل`` or ``825 مليون`` are not years;
* relative words after the date: المنصرم/الماضي/المنقضي/الفائت -> past,
  المقبل/القادم -> future, الجاري/الحالي -> current.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from analysis.arabic import (
    MONTHS,
    STOPWORDS,
    WEEKDAYS,
    map_span,
    normalize_with_offset_map,
    normalize_with_offsets,
)

__all__ = [
    "DateMention",
    "find_dates",
    "parse_dateline",
    "parse_metadata_date",
]


@dataclass(frozen=True)
class DateMention:
    """A date mentioned in a text; ``start``/``end`` index the original text."""

    start: int
    end: int
    text: str
    date: dt.date  # first day of the month/year for month/year granularity
    granularity: str  # day | month | year
    how: str  # absolute (year written) | resolved (year taken from the reference date)
    relation: str | None  # past | future | current | None, from the word after the date


_REL_WORDS = {
    "past": ("المنصرم", "المنصرمه", "الماضي", "الماضيه", "المنقضي", "المنقضيه", "الفايت",
             "الفايته"),
    "future": ("المقبل", "المقبله", "القادم", "القادمه"),
    "current": ("الجاري", "الجاريه", "الحالي", "الحاليه"),
}
_RELATION = {word: rel for rel, words in _REL_WORDS.items() for word in words}
_ORDINALS = {
    "الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6, "السابع": 7,
    "الثامن": 8, "التاسع": 9, "العاشر": 10,
}
_QUALIFIERS = ("منتصف", "مطلع", "اواخر", "اوايل", "بدايه", "نهايه", "اواسط", "اوسط", "غضون")


def _alternation(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_MONTH = _alternation(MONTHS)
_MONTH_NAMES = tuple(sorted(MONTHS))
_NUMERIC_CANDIDATE_RE = re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")
_NUMBER_RE = re.compile(r"\d+")
WEEKDAY_PATTERN = _alternation(w for w in WEEKDAYS if w.startswith("ال"))
_REL = _alternation(_RELATION)
_QUAL = _alternation(_QUALIFIERS)
# a boundary, or a conjunction و/ف glued to the date ("و15 أبريل")
_START = r"(?:(?<!\w)|(?<=(?<!\w)[وف]))"
_CALENDAR_RE = re.compile(
    rf"{_START}(?:(?P<wd>{WEEKDAY_PATTERN})\s?[،,]?\s?\(?\s?)?"
    rf"(?:(?P<qual>{_QUAL})\s(?:من\s)?)?"
    rf"(?:(?P<day>[0-3]?\d|فاتح|الفاتح|(?P<ordinal>{_alternation(_ORDINALS)})(?=\sمن\s))"
    r"\s(?:من\s)?)?"
    r"(?:(?P<shahr>شهر)\s)?"
    rf"(?P<month>{_MONTH})(?:\s?[/\-]\s?(?:{_MONTH})|\s?\(\s?(?:{_MONTH})\s?\))?"
    r"(?:\s?[،,]?\s?(?:من\s)?(?P<yearword>(?:ال)?(?:عام|سنه)\s)?(?P<year>\d{4})(?!\d)(?:\s?م(?!\w))?)?"
    rf"(?:\s(?P<rel>{_REL}))?(?!\w)"
)
_DMY_RE = re.compile(
    r"(?:(?<![\w/.\-])|(?<=(?<!\w)[وف]))(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})"
    r"(?!\d)(?![/.\-]\d)"
)
_YMD_RE = re.compile(
    r"(?:(?<![\w/.\-])|(?<=(?<!\w)[وف]))(?P<year>\d{4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<a>\d{1,2})"
    r"(?!\d)(?![/.\-]\d)"
)
_STRONG_YEAR_CONTEXT = ("عام", "سنه", "صيف", "ربيع", "خريف", "شتاء", "موسم")
_WEAK_YEAR_CONTEXT = ("منذ", "في", "خلال", "حتي", "بحلول", "افق", *_QUALIFIERS)
_YEAR_CONTEXT = (
    rf"(?<!\w)(?P<ctx>[وف]?(?:لل|[بلك]?(?:ال)?)(?P<strong>{_alternation(_STRONG_YEAR_CONTEXT)})"
    rf"|[وف]?(?P<weak>{_alternation(_WEAK_YEAR_CONTEXT)}))"
)
_YEAR_CONTEXT_RE = re.compile(_YEAR_CONTEXT + r"\s\Z")
_YEAR_RE = re.compile(
    _YEAR_CONTEXT +
    r"\s(?P<year>\d{4})(?!\d)(?![.,٫٬]\d)(?:\s?م(?!\w))?"
    rf"(?:\s(?P<rel>{_REL}))?(?!\w)"
)
# words that show a number counts something: "في 2000 منزل", "منذ 1500 سنه"
_COUNTED = frozenset({
    "مليون", "مليار", "الف", "الاف", "درهم", "دولار", "دينار", "ريال", "يورو", "جنيه", "ليره",
    "شخص", "اشخاص", "طن", "كلم", "كيلومتر", "متر", "هكتار", "سنه", "سنوات", "عام", "يوم",
    "ساعه", "دقيقه", "مره", "حاله", "صاروخ", "منزل", "قتيل", "جريح", "مصاب",
})
_NEXT_WORD_RE = re.compile(r"\s?(\w+)")


@dataclass(frozen=True)
class DateHit:
    """A match in the normalised text, before the year is resolved."""

    nstart: int
    nend: int
    year: int | None
    month: int
    day: int | None
    granularity: str
    relation: str | None
    weekday: int | None = None
    context: str | None = None  # the year context word (منذ، افق ...), year hits only
    year_relation: bool = False  # "سبتمبر من عام 2015 الجاري": the relative word is the year's


def valid_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _calendar_hit(m: re.Match[str]) -> DateHit | None:
    day_text, year_text = m.group("day"), m.group("year")
    rel = m.group("rel")
    if not (day_text or year_text or m.group("qual") or m.group("shahr") or rel):
        return None  # a bare month name (مارس is also a verb, ماي a word)
    month = MONTHS[m.group("month")]
    year = int(year_text) if year_text else None
    if year is not None and not 1900 <= year <= 2100:
        return None
    day = None
    if day_text:
        day = int(day_text) if day_text.isdigit() else _ORDINALS.get(day_text, 1)
        if not any(valid_date(y, month, day) for y in ((year,) if year else (2023, 2024))):
            return None  # 31 فبراير, 31 أبريل, day 0
    weekday = WEEKDAYS[m.group("wd")] if m.group("wd") and day else None
    start = m.start()
    if m.group("wd") and (not day or "(" in m.group()[:m.start("day") - m.start()]):
        # a weekday only belongs to a day date; "الاثنين (14 أبريل)" spans the bracket only
        start = min(m.start(g) for g in ("qual", "day", "shahr", "month") if m.group(g))
    return DateHit(start, m.end(), year, month, day, "day" if day else "month",
                _RELATION.get(rel) if rel else None, weekday,
                year_relation=bool(rel and m.group("yearword")))


def _numeric_hit(m: re.Match[str]) -> DateHit | None:
    year, first, second = int(m.group("year")), int(m.group("a")), int(m.group("b"))
    if not 1900 <= year <= 2100:
        return None
    for day, month in ((first, second), (second, first)):  # day first, month first as fallback
        if valid_date(year, month, day):
            return DateHit(m.start(), m.end(), year, month, day, "day", None)
    return None


def _year_hit(m: re.Match[str], norm: str) -> DateHit | None:
    year = int(m.group("year"))
    if not 1950 <= year <= 2100:
        return None
    following = _NEXT_WORD_RE.match(norm, m.end())
    next_word = following.group(1) if following else None
    if next_word in _COUNTED:
        return None
    if m.group("weak") and next_word and not m.group("rel"):
        if not (next_word in STOPWORDS or next_word.startswith(("ال", "وال", "فال"))
                or next_word in MONTHS):
            return None
    rel = m.group("rel")
    if m.group("strong"):  # span "العام 2015" / "عام 2015", without و/ب/ل
        start = m.start("strong")
        start -= 2 if norm[start - 2:start] == "ال" else 0
    else:  # span "2030" in "في 2030"
        start = m.start("year")
    return DateHit(start, m.end(), year, 1, None, "year", _RELATION.get(rel) if rel else None,
                context=m.group("strong") or m.group("weak"))


def _month_positions(norm: str) -> list[int]:
    """Start of every month name standing as a word (str.find is much faster than a regex
    tried at every position; the calendar regex then runs in a window around each)."""
    positions = []
    for name in _MONTH_NAMES:
        i = norm.find(name)
        while i >= 0:
            j = i + len(name)
            glued = i > 0 and norm[i - 1] in "وف" and (i == 1 or not norm[i - 2].isalnum())
            if ((i == 0 or not norm[i - 1].isalnum() or glued)
                    and (j == len(norm) or not norm[j].isalpha())):
                positions.append(i)
            i = norm.find(name, i + 1)
    return sorted(positions)


def scan_dates(norm: str) -> list[DateHit]:
    """All date hits in a normalised text; overlapping hits keep the longest."""
    hits: set[DateHit] = set()
    for position in _month_positions(norm):
        low, high = max(0, position - 60), min(len(norm), position + 80)
        for m in _CALENDAR_RE.finditer(norm, low, high):
            if (m.end() < high or high == len(norm)) and (hit := _calendar_hit(m)):
                hits.add(hit)
    for candidate in _NUMERIC_CANDIDATE_RE.finditer(norm):
        for regex in (_DMY_RE, _YMD_RE):
            if (m := regex.match(norm, candidate.start())) and (hit := _numeric_hit(m)):
                hits.add(hit)
    for number in _NUMBER_RE.finditer(norm):
        if number.end() - number.start() != 4:
            continue
        context = _YEAR_CONTEXT_RE.search(norm, max(0, number.start() - 25), number.start())
        if context and (m := _YEAR_RE.match(norm, context.start())) and (
                hit := _year_hit(m, norm)):
            hits.add(hit)
    chosen: list[DateHit] = []
    for hit in sorted(hits, key=lambda h: (h.nstart - h.nend, h.nstart, h.granularity)):
        if all(hit.nend <= c.nstart or hit.nstart >= c.nend for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.nstart)


def _period(hit: DateHit, year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the period a hit denotes in ``year``."""
    if hit.granularity == "day":
        day = dt.date(year, hit.month, hit.day or 1)
        return day, day
    if hit.granularity == "month":
        first = dt.date(year, hit.month, 1)
        following = dt.date(year + hit.month // 12, hit.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def relation_period(hit: DateHit, year: int) -> tuple[dt.date, dt.date]:
    """The period a relative word speaks about: "14 أبريل الجاري" -> the month of April,
    "سبتمبر من عام 2015 الجاري" -> the year, otherwise the hit's own period."""
    if hit.year_relation:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if hit.relation == "current" and hit.granularity == "day":
        return _period(DateHit(0, 0, year, hit.month, None, "month", None), year)
    return _period(hit, year)


def _resolve_year(hit: DateHit, reference: dt.date) -> int | None:
    """Year of a yearless hit relative to ``reference`` (see find_dates)."""
    years = [y for y in range(reference.year - 4, reference.year + 5)
             if hit.granularity != "day" or valid_date(y, hit.month, hit.day or 1)]
    periods = {y: relation_period(hit, y) for y in years}
    if hit.relation == "past":
        past = [y for y in years if periods[y][1] <= reference]
        return max(past) if past else None
    if hit.relation == "future":
        future = [y for y in years if periods[y][0] >= reference]
        return min(future) if future else None
    if hit.relation == "current":
        for y in years:
            if periods[y][0] <= reference <= periods[y][1]:
                return y
    half_year = dt.timedelta(days=183)
    past = [y for y in years if reference - half_year <= periods[y][0] <= reference]
    if past:
        return max(past)
    future = [y for y in years if reference < periods[y][0] <= reference + half_year]
    return min(future) if future else None


def find_dates(text: str, reference: dt.date | None = None) -> list[DateMention]:
    """Dates mentioned in ``text``, in text order, with offsets into ``text``.

    Yearless dates are placed with ``reference`` (the article's date): relation past -> the
    latest such period that has ended by the reference, future -> the earliest that starts
    on or after it, current -> the one containing it, none -> the one starting in the six
    months before the reference (news mostly reports the past), else in the six months
    after.  Without a reference yearless dates are omitted (they cannot be placed).
    """
    norm, offset_map = normalize_with_offset_map(text)
    offsets = range(len(text) + 1) if offset_map is None else offset_map  # identity: no list
    mentions: list[DateMention] = []
    for hit in scan_dates(norm):
        year, how = hit.year, "absolute"
        if year is None:
            if reference is None or (year := _resolve_year(hit, reference)) is None:
                continue
            how = "resolved"
        start, end = map_span(text, offsets, hit.nstart, hit.nend)
        mentions.append(DateMention(start, end, text[start:end], _period(hit, year)[0],
                                    hit.granularity, how, hit.relation))
    return mentions


_TIME_RE = re.compile(
    r"(?<![\d:])(?P<h>[01]?\d|2[0-3])[:h](?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?![\d:])"
    r"(?:\s?(?P<ampm>صباحا|مساء|مساءا|ص|م|am|pm|a\.m\.|p\.m\.)(?!\w))?"
)
_TZ_RE = re.compile(r"(?:\b(?:gmt|utc))?\s?[+\-]\d{2}:?\d{2}(?!\d)|\b(?:gmt|utc|z)\b")
_HIJRI_MONTHS = frozenset({
    "محرم", "صفر", "ربيع", "الاول", "الثاني", "الاخر", "جمادي", "الاولي", "الاخره", "رجب",
    "شعبان", "رمضان", "شوال", "القعده", "الحجه", "ذو", "ذي", "ه",
})
_DATELINE_FILLER = frozenset({
    "علي", "الساعه", "ساعه", "في", "نشر", "نشرت", "منشور", "تم", "تاريخ", "التاريخ",
    "النشر", "بتاريخ", "يوم", "اخر", "تحديث", "التحديث", "محدث", "تعديل", "صباحا", "مساء",
    "مساءا", "ظهرا", "ليلا", "ص", "م", "بتوقيت", "توقيت", "غرينتش", "جرينتش", "الموافق",
    "المحلي", "مكه", "المكرمه", "gmt", "utc", "am", "pm", "t", "z", "published", "updated",
    "posted", "on", "at", "le", "publie", "mis", "a", "jour",
}) | frozenset(WEEKDAYS)
_SEPARATORS = set("-–—|:،,/")


def parse_dateline(line: str) -> dt.datetime | None:
    """The date and time of a line that *is* a dateline or timestamp, else None.

    The line must be short (<= 14 words) and consist of a full date (day, month, year), an
    optional time (``18:55``, ``18h55``, ``6:05 مساء``), labels such as ``نشر في`` or
    ``آخر تحديث``, weekday and Hijri date words, and at most two other words placed before
    the date and separated from it by punctuation (a place: ``الرباط -``).  A sentence that
    merely contains a date returns None.  Without a time the result is at 00:00.
    """
    if not line or len(line) > 250:
        return None
    norm, _ = normalize_with_offsets(line)
    if len(norm.split()) > 14:
        return None
    hits = [h for h in scan_dates(norm) if h.granularity == "day" and h.year is not None]
    if not hits:
        return None
    covered = [(h.nstart, h.nend) for h in hits]
    hour = minute = second = 0
    time_match = _TIME_RE.search(norm)
    if time_match and not any(s <= time_match.start() < e for s, e in covered):
        hour, minute = int(time_match.group("h")), int(time_match.group("m"))
        second = int(time_match.group("s") or 0)
        if time_match.group("ampm") in ("مساء", "مساءا", "م", "pm", "p.m.") and hour < 12:
            hour += 12
        covered.append(time_match.span())
    covered.extend(m.span() for m in _TZ_RE.finditer(norm))
    words = [w for w in re.finditer(r"\w+", norm)
             if not any(s <= w.start() < e for s, e in covered)]
    hijri = any(w.group() in _HIJRI_MONTHS and w.group() != "ه" for w in words)
    leftover = [w for w in words if w.group() not in _DATELINE_FILLER
                and not (hijri and (w.group().isdigit() or w.group() in _HIJRI_MONTHS))]
    if leftover:
        first_date = hits[0].nstart
        if len(leftover) > 2 or leftover[-1].end() > first_date:
            return None
        if not _SEPARATORS & set(norm[leftover[-1].end():first_date]):
            return None
    first = hits[0]
    return dt.datetime(first.year or 1, first.month, first.day or 1, hour, minute, second)


def parse_metadata_date(value: str | None) -> dt.date | None:
    """A metadata ``published`` value as a date, or None if blank or not a date.

    Accepts ISO dates and datetimes (``2024-04-22``, ``2024-04-22T10:15:00+01:00``: the
    date as written, no time-zone conversion), ``2024/04/22``, ``22/04/2024``, RFC 2822
    (``Mon, 22 Apr 2024 10:15:00 GMT``) and Arabic text (``22 أبريل 2024``).  Years outside
    1900-2100 are rejected.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    norm, _ = normalize_with_offsets(text)
    candidates: list[dt.date] = []
    try:
        candidates.append(dt.datetime.fromisoformat(norm.upper()).date())
    except ValueError:
        pass
    if not candidates:
        try:
            candidates.append(parsedate_to_datetime(text).date())
        except (TypeError, ValueError, IndexError):
            pass
    if not candidates:
        hits = [h for h in scan_dates(norm) if h.granularity == "day" and h.year is not None]
        if hits:
            candidates.append(_period(hits[0], hits[0].year or 1)[0])
    if candidates and 1900 <= candidates[0].year <= 2100:
        return candidates[0]
    return None

"""Publication date of an article: metadata, then dateline, else inferred from its text.

Inference reads the dates the article mentions (:mod:`analysis.dates`) with their
relative words (المنصرم، المقبل ...) and cue words (المزمع، استقبل ...) and gives an
interval; the point estimate is its lower bound. An article without evidence is
``unknown``: it is never dated to the day it was processed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from analysis.arabic import normalize_with_offsets
from analysis.dates import (
    WEEKDAY_PATTERN,
    DateHit,
    parse_metadata_date,
    relation_period,
    scan_dates,
    valid_date,
)

__all__ = ["PublicationEstimate", "estimate_publication"]


@dataclass(frozen=True)
class PublicationEstimate:
    """Publication date with the interval the evidence allows (see estimate_publication)."""

    published: dt.date | None
    published_min: dt.date | None
    published_max: dt.date | None
    how: str  # metadata | dateline | inferred | unknown
    note: str | None = None  # addition: why the estimate is what it is (e.g. contradiction)



_FUTURE_VERB_STEMS = (
    "يعقد", "ينعقد", "يجري", "يجري", "ينظم", "ينطلق", "يكون", "يشارك", "يحتضن", "يقام",
    "يشهد", "يصل", "يبدا", "يدخل", "يتم", "يعلن", "يزور", "يستقبل", "يطلق", "يفتتح", "يحل",
    "يلتقي", "يخوض", "يواجه", "يستضيف", "ينتهي", "يختتم", "يصدر", "يعرض", "يجتمع",
)
_FUTURE_CUES = frozenset(
    {"المزمع", "المزمعه", "مزمع", "المقرر", "المقرره", "مقرر", "المرتقب", "المرتقبه", "مرتقب",
     "المنتظر", "المنتظره", "المبرمج", "المبرمجه", "يرتقب", "ينتظر", "يتوقع", "المتوقع",
     "افق", "يعتزم", "تعتزم", "سوف"}
    | {"س" + stem for stem in _FUTURE_VERB_STEMS}
    | {"ست" + stem[1:] for stem in _FUTURE_VERB_STEMS}
)
# perfect verbs that report an event; forms that are also frequent nouns (عقد contract,
# سجل record, نظم systems, قتل killing) and كان/تم (used for plans too) are left out
_PAST_CUES = frozenset({
    "منذ", "جري", "جرت", "عقدت", "انعقد", "انعقدت", "شهد", "شهدت", "وقع", "وقعت", "اعلن",
    "اعلنت", "اصدر", "اصدرت", "صادق", "صادقت", "نظمت", "اختتم", "اختتمت", "انطلق",
    "انطلقت", "افتتح", "افتتحت", "توفي", "توفيت", "اعتقل", "اعتقلت", "قتلت", "حصل", "حصلت",
    "سجلت", "اندلع", "اندلعت", "زار", "زارت",
    "استقبل", "استقبلت", "وصل", "وصلت", "غادر", "غادرت", "فاز", "فازت", "اطلق", "اطلقت",
    "اجريت", "اقيم", "اقيمت", "وافق", "وافقت", "تراس", "احتضن", "احتضنت", "سبق",
})
_YEAR_CONTEXT_CUE = {"منذ": "past", "افق": "future"}
_PAST_AUXILIARIES = frozenset({"كان", "كانت", "وكان", "وكانت", "فكان", "فكانت"})
_RANGE_WORDS = frozenset({"حتي", "الي", "لغايه", "غايه", "وحتي"})  # "منذ ... حتى 2016"
_NOT_TODAY = frozenset({"صحيفه", "جريده", "يوميه", "موقع", "قناه", "مجله"})  # صحيفة اليوم
_CLAUSE_END_RE = re.compile(r"[.!?؟؛]")
_PIN_RE = re.compile(
    rf"(?:^|\s)[وف]?(?P<kw>اليوم|امس)\s?[،,(]?\s?(?:(?:{WEEKDAY_PATTERN})\s?[،,(]?\s?)?$"
)


def _context_cue(norm: str, hit: DateHit) -> str | None:
    """past/future from the nearest cue word in the three words before the date (same clause).

    A cue right after كان/كانت is ignored ("كان يعتزم ... عام 2012" is a past plan), and the
    search stops at حتى/إلى (the date ends a range: "منذ إنشائها حتى عام 2016").
    """
    if hit.context in _YEAR_CONTEXT_CUE:
        return _YEAR_CONTEXT_CUE[hit.context]
    before = norm[max(0, hit.nstart - 120):hit.nstart]
    clause = _CLAUSE_END_RE.split(before)[-1]
    words = re.findall(r"\w+", clause)
    for position in range(len(words) - 1, max(-1, len(words) - 4), -1):
        word = words[position]
        if word in _RANGE_WORDS:
            return None
        for form in (word, word[1:] if word[0] in "وف" and len(word) > 3 else word):
            if form in _FUTURE_CUES or form in _PAST_CUES:
                if position > 0 and words[position - 1] in _PAST_AUXILIARIES:
                    return None
                return "future" if form in _FUTURE_CUES else "past"
    return None


def _pinned_date(norm: str, hit: DateHit, years: set[int]) -> dt.date | None:
    """Publication date from 'اليوم الاثنين (14 أبريل)' / 'أمس الأحد 13 أبريل' phrasing.

    A yearless date is placed by its weekday: the one year near the years the text
    mentions (min - 1 .. max + 1) in which that day falls on that weekday.
    """
    if hit.granularity != "day" or hit.day is None:
        return None
    match = _PIN_RE.search(norm, max(0, hit.nstart - 40), hit.nstart)
    if match is None or norm[:match.start()].rsplit(" ", 1)[-1] in _NOT_TODAY:
        return None
    if hit.year is not None:
        day = dt.date(hit.year, hit.month, hit.day)
    elif hit.weekday is not None and years:
        fits = [dt.date(y, hit.month, hit.day) for y in range(min(years) - 1, max(years) + 2)
                if valid_date(y, hit.month, hit.day)
                and dt.date(y, hit.month, hit.day).weekday() == hit.weekday]
        if len(fits) != 1:
            return None
        day = fits[0]
    else:
        return None
    return day + dt.timedelta(days=1) if match.group("kw") == "امس" else day


_ANCHOR_YEAR_RE = re.compile(r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)")


def _yearless_bounds(norm: str, hits: list[DateHit]) -> tuple[list[dt.date], list[dt.date]]:
    """Bounds from yearless dates with a relative word ("22 أبريل المنصرم", "26 يوليوز المقبل").

    Their year is the written year nearest to them in the text (any 4-digit year
    1950-2099, e.g. "أولمبياد باريس 2024"): news discusses a date close to the year
    it belongs to. A future date that would fall before a past one moves to the
    next year ("دجنبر المنصرم" ... "فبراير المقبل"). A yearless day date written with
    its weekday ("الخميس 14 دجنبر") takes the one year near the mentioned years in
    which that day is that weekday, and counts as a reported (past) event.
    """
    anchors = [(m.start(), int(m.group())) for m in _ANCHOR_YEAR_RE.finditer(norm)]
    relative = [h for h in hits if h.year is None and h.relation in ("past", "future")]
    if not anchors:
        return [], []
    lower: list[dt.date] = []
    upper: list[dt.date] = []
    for hit in hits:  # "الخميس 14 دجنبر": the weekday picks the year near the anchors
        if hit.year is None and hit.relation is None and hit.weekday is not None and hit.day:
            years = {year for _, year in anchors}
            fits = [y for y in range(min(years) - 1, max(years) + 2)
                    if valid_date(y, hit.month, hit.day)
                    and dt.date(y, hit.month, hit.day).weekday() == hit.weekday]
            if len(fits) == 1:
                lower.append(dt.date(fits[0], hit.month, hit.day))
    for hit in relative:
        year = min(anchors, key=lambda anchor: (abs(anchor[0] - hit.nstart), -anchor[1]))[1]
        first, last = relation_period(hit, year)
        (lower if hit.relation == "past" else upper).append(last if hit.relation == "past"
                                                            else first)
    if lower and upper and min(upper) < max(lower):
        upper = [_next_year(day) if day < max(lower) else day for day in upper]
    return lower, upper


def _next_year(day: dt.date) -> dt.date:
    return day.replace(year=day.year + 1) if (day.month, day.day) != (2, 29) else day


def _infer_publication(text: str) -> PublicationEstimate:
    norm, _ = normalize_with_offsets(text)
    hits = scan_dates(norm)
    years = {h.year for h in hits if h.year is not None}
    lower_rel, upper_rel = _yearless_bounds(norm, hits)
    if not years and not lower_rel and not upper_rel:  # nothing can be placed
        return PublicationEstimate(None, None, None, "unknown")
    lower: list[dt.date] = []
    upper: list[dt.date] = []
    for hit in hits:
        pinned = _pinned_date(norm, hit, years)
        if pinned is not None:
            return PublicationEstimate(pinned, pinned, pinned, "inferred",
                                       "pinned by today/yesterday + date")
        if hit.year is None:
            continue
        first, last = relation_period(hit, hit.year)
        if hit.relation == "past":  # the period is over: published after its end
            lower.append(last)
        elif hit.relation == "future":  # the period is ahead: published before it starts
            upper.append(first)
        elif hit.relation == "current":  # published within the period
            lower.append(first)
            upper.append(last)
        elif (cue := _context_cue(norm, hit)) == "past":  # happened within the period
            lower.append(first)
        elif cue == "future":  # planned within the period
            upper.append(last)
        elif hit.granularity == "day" and hit.weekday is not None:
            lower.append(first)  # "يوم الثلاثاء 24 يونيو 2025": a reported (recent) event
    note = None
    with_relative = (max(lower + lower_rel) if lower + lower_rel else None,
                     min(upper + upper_rel) if upper + upper_rel else None)
    if (lower_rel or upper_rel) and (None in with_relative or with_relative[0] <= with_relative[1]):
        lower, upper = lower + lower_rel, upper + upper_rel
        note = "year of relative dates taken from the nearest year the text mentions"
    low = max(lower) if lower else None
    high = min(upper) if upper else None
    if low is None and high is None:
        return PublicationEstimate(None, None, None, "unknown")
    if low is not None and high is not None and low > high:
        return PublicationEstimate(low, low, None, "inferred",
                                   f"contradiction: lower bound {low} after upper bound {high};"
                                   " upper bound dropped")
    return PublicationEstimate(low if low is not None else high, low, high, "inferred", note)


def estimate_publication(metadata: str | None, dateline: dt.datetime | None,
                         text: str) -> PublicationEstimate:
    """Best publication date of an article, never today's date.

    1. ``metadata`` parsed by :func:`parse_metadata_date` -> how="metadata", min = max.
    2. ``dateline`` (from cleaning) -> how="dateline", min = max.
    3. Inferred from dates with a written year (how="inferred"):
       * 'اليوم/أمس + [weekday] + date' pins the date (yearless dates are placed by their
         weekday among the years the text mentions);
       * relation past (دجنبر 2023 المنصرم): the period is over -> published >= its last day;
         relation future (يونيو 2025 المقبل): -> published <= its first day;
         relation current (الجاري): published within the period;
       * otherwise the nearest cue word before the date in the same clause: a past cue
         (منذ، a perfect verb such as عقد/جرت/أعلن) -> published >= the period's first day,
         a future cue (المزمع، المقرر، سيعقد، في أفق، بحلول) -> published <= the period's last
         day (the event is planned somewhere within it);
       * a day date written with its weekday ("يوم الثلاثاء 24 يونيو 2025") reports an
         event: published >= that day;
       * yearless dates with a relative word ("22 أبريل المنصرم") take the written year
         nearest to them in the text, and yearless weekday dates ("الخميس 14 دجنبر") the
         year near the written years in which the weekday fits (see _yearless_bounds);
         they are used only when they agree with the bounds from written years;
       * a date with no cue says nothing (news mentions future dates without markers,
         e.g. مونديال 2030).
       ``published`` is the lower bound if there is one (the article cannot predate what it
       reports), else the upper bound.  If the bounds contradict, the lower bound is kept,
       the upper dropped and ``note`` says so.
    4. No evidence -> how="unknown", all None.
    """
    published = parse_metadata_date(metadata)
    if published is not None:
        return PublicationEstimate(published, published, published, "metadata")
    if dateline is not None:
        day = dateline.date() if isinstance(dateline, dt.datetime) else dateline
        return PublicationEstimate(day, day, day, "dateline")
    return _infer_publication(text)

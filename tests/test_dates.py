"""Tests for analysis.dates: mentions, yearless resolution, datelines, publication estimate.

All sentences are written for these tests; expected dates are checked by hand (weekdays
with a calendar: 2025-04-14 is a Monday, 2024-04-14 a Sunday, 2026-04-14 a Tuesday).
"""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.dates import (
    DateMention,
    find_dates,
    parse_dateline,
    parse_metadata_date,
)
from analysis.publication import PublicationEstimate, estimate_publication

D = dt.date


def _one(text: str, reference: dt.date | None = None) -> DateMention:
    mentions = find_dates(text, reference)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        # MSA, with weekday, dual names (slash and brackets), Arabic-Indic digits
        ("أعلنت الوزارة يوم الثلاثاء 24 يونيو 2025 عن البرنامج", "الثلاثاء 24 يونيو 2025",
         D(2025, 6, 24)),
        ("انعقد اللقاء في 24 يونيو/حزيران 2025 بالرباط", "24 يونيو/حزيران 2025", D(2025, 6, 24)),
        ("جرت الانتخابات في 29 أيار (مايو) 2024 وسط إقبال", "29 أيار (مايو) 2024",
         D(2024, 5, 29)),
        ("بتاريخ ١٤ أبريل ٢٠٢٥ وقع الحادث", "١٤ أبريل ٢٠٢٥", D(2025, 4, 14)),
        ("وصل الوفد في 3 إبريل 2022", "3 إبريل 2022", D(2022, 4, 3)),
        # Maghrebi
        ("صادق المجلس يوم 12 دجنبر 2023 على القانون", "12 دجنبر 2023", D(2023, 12, 12)),
        ("انطلقت الدورة في 9 شتنبر 2021", "9 شتنبر 2021", D(2021, 9, 9)),
        ("خطاب 20 غشت 2023 أمام البرلمان", "20 غشت 2023", D(2023, 8, 20)),
        ("احتفالات فاتح ماي 2024 بالدار البيضاء", "فاتح ماي 2024", D(2024, 5, 1)),
        ("يوم 30 يوليوز 2022 عيد العرش", "30 يوليوز 2022", D(2022, 7, 30)),
        ("في 5 نونبر 2020 و", "5 نونبر 2020", D(2020, 11, 5)),
        # Levantine (two-word names)
        ("عقد الاجتماع في 15 تشرين الأول 2023 ببيروت", "15 تشرين الأول 2023", D(2023, 10, 15)),
        ("وفي 2 كانون الثاني 2024 أعلن", "2 كانون الثاني 2024", D(2024, 1, 2)),
        ("انفجار 4 آب 2020 في المرفأ", "4 آب 2020", D(2020, 8, 4)),
        # Tunisian / Algerian
        ("انطلقت المفاوضات يوم 5 جانفي 2024", "5 جانفي 2024", D(2024, 1, 5)),
        ("ذكرى 5 جويلية 1962 في الجزائر", "5 جويلية 1962", D(1962, 7, 5)),
        ("يوم 7 أوت 2021 بتونس", "7 أوت 2021", D(2021, 8, 7)),
        ("الموافق 18 فيفري 2023", "18 فيفري 2023", D(2023, 2, 18)),
        # conjunction glued to the day, "من عام", ordinal day
        ("ثم و15 مارس 2019", "15 مارس 2019", D(2019, 3, 15)),
        ("ولد في 5 أكتوبر من عام 1976 بمدينة فاس", "5 أكتوبر من عام 1976", D(1976, 10, 5)),
        ("في الثاني من يونيو 2015 قدم استقالته", "الثاني من يونيو 2015", D(2015, 6, 2)),
    ],
)
def test_day_month_year(text: str, span: str, expected: dt.date) -> None:
    mention = _one(text)
    assert mention.text == span
    assert text[mention.start:mention.end] == span
    assert (mention.date, mention.granularity, mention.how) == (expected, "day", "absolute")


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("نشر التقرير في 14/04/2025 صباحا", "14/04/2025", D(2025, 4, 14)),
        ("نشر التقرير في 2025-04-14 صباحا", "2025-04-14", D(2025, 4, 14)),
        ("نشر التقرير في 14-04-2025 صباحا", "14-04-2025", D(2025, 4, 14)),
        ("نشر التقرير في 14.04.2025 صباحا", "14.04.2025", D(2025, 4, 14)),
        ("نشر التقرير في ١٤/٠٤/٢٠٢٥ صباحا", "١٤/٠٤/٢٠٢٥", D(2025, 4, 14)),
        # day first is impossible (month 25), so month first: April 25
        ("نشر التقرير في 04/25/2025 صباحا", "04/25/2025", D(2025, 4, 25)),
    ],
)
def test_numeric_dates(text: str, span: str, expected: dt.date) -> None:
    mention = _one(text)
    assert (mention.text, mention.date, mention.granularity) == (span, expected, "day")


def test_month_and_year_granularity() -> None:
    text = "تراجعت الصادرات في دجنبر 2023، مقارنة بعام 2015 وسنة 2024، ويطمح المغرب في 2030."
    mentions = find_dates(text)
    assert [(m.text, m.date, m.granularity) for m in mentions] == [
        ("دجنبر 2023", D(2023, 12, 1), "month"),
        ("عام 2015", D(2015, 1, 1), "year"),
        ("سنة 2024", D(2024, 1, 1), "year"),
        ("2030", D(2030, 1, 1), "year"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "رصدت الحكومة 825 مليون درهم لاقتناء 600 صاروخ",
        "تم إحصاء الأضرار في 2000 منزل بالمنطقة",
        "يعود تاريخ المدينة إلى ما قبل 1200 عام ومنذ 1500 سنة",
        "بلغ عدد الزوار في 2024 زائرا حسب الإحصاء",  # a count after في, not a year
        "سجل عام 1850 أول إحصاء",  # year outside 1950-2100
        "وصل سعر الطن إلى 2024 درهما",  # no year context word
        "مارس اللاعب ضغطا كبيرا على الحكم",  # مارس the verb, not the month
        "تأجل الحفل إلى 31 فبراير 2024",  # impossible day
        "أكد الوزير أن الحصيلة بلغت 31 أبريل",  # impossible day, no year
    ],
)
def test_rejected_numbers_and_words(text: str) -> None:
    assert find_dates(text, reference=D(2024, 5, 1)) == []


def test_longest_overlapping_match_wins() -> None:
    mention = _one("يوم الثلاثاء 15 أبريل 2025 على الساعة 11:20")
    assert (mention.text, mention.date) == ("الثلاثاء 15 أبريل 2025", D(2025, 4, 15))


def test_yearless_dates_are_omitted_without_reference() -> None:
    assert find_dates("اجتمع المجلس يوم الخميس 14 دجنبر المنصرم") == []


@pytest.mark.parametrize(
    ("text", "reference", "expected", "relation", "granularity"),
    [
        # across the year boundary: past -> latest 14 December <= 2024-01-10
        ("اجتمع المجلس يوم 14 دجنبر المنصرم", D(2024, 1, 10), D(2023, 12, 14), "past", "day"),
        # no relation: 2023-12-14 lies 27 days before the reference (within six months)
        ("اجتمع المجلس يوم الخميس 14 دجنبر", D(2024, 1, 10), D(2023, 12, 14), None, "day"),
        # no relation: 2023-02-20 is 324 days back, 2024-02-20 is 41 days ahead
        ("ينطلق المعرض (20 فبراير)", D(2024, 1, 10), D(2024, 2, 20), None, "day"),
        # future: earliest 10 January >= 2023-12-20
        ("تنطلق الدورة في 10 يناير المقبل", D(2023, 12, 20), D(2024, 1, 10), "future", "day"),
        # past: 2024-04-22 is after the reference, so the April 22 before it is 2023's
        ("في 22 أبريل المنصرم", D(2024, 4, 20), D(2023, 4, 22), "past", "day"),
        # current: the April that contains the reference
        ("يوم 14 أبريل الجاري", D(2024, 4, 20), D(2024, 4, 14), "current", "day"),
        # months: December 2023 has ended by 2024-01-10
        ("خلال شهر دجنبر المنصرم", D(2024, 1, 10), D(2023, 12, 1), "past", "month"),
        ("منتصف شهر أبريل المقبل", D(2024, 1, 10), D(2024, 4, 1), "future", "month"),
        ("في يونيو (حزيران) الماضي", D(2024, 7, 3), D(2024, 6, 1), "past", "month"),
        ("في الثاني من يونيو الماضي", D(2024, 7, 1), D(2024, 6, 2), "past", "day"),
    ],
)
def test_yearless_resolution(text: str, reference: dt.date, expected: dt.date,
                             relation: str | None, granularity: str) -> None:
    mention = _one(text, reference)
    assert (mention.date, mention.how, mention.relation, mention.granularity) == (
        expected, "resolved", relation, granularity)


def test_bracketed_yearless_date_span() -> None:
    text = "قال الوزير اليوم الاثنين (14 أبريل) إن"
    mention = _one(text, D(2025, 4, 14))
    assert (mention.text, mention.date) == ("14 أبريل", D(2025, 4, 14))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("الإثنين 21 أبريل 2025 على الساعة 07:35", dt.datetime(2025, 4, 21, 7, 35)),
        ("نشر في: 2024/04/22 - 10:15", dt.datetime(2024, 4, 22, 10, 15)),
        ("آخر تحديث: 22 أبريل 2024 - 11:03", dt.datetime(2024, 4, 22, 11, 3)),
        ("2024-04-22 10:15", dt.datetime(2024, 4, 22, 10, 15)),
        ("الاثنين 22 أبريل 2024", dt.datetime(2024, 4, 22)),
        ("الرباط - الاثنين 22 أبريل 2024", dt.datetime(2024, 4, 22)),
        ("2024-04-22T10:15:00+01:00", dt.datetime(2024, 4, 22, 10, 15)),
        ("6:05 مساء - 22 أبريل 2024", dt.datetime(2024, 4, 22, 18, 5)),
        ("الخميس 14 دجنبر 2023 - 18h30", dt.datetime(2023, 12, 14, 18, 30)),
        ("الاثنين 13 شوال 1445 هـ الموافق 22 أبريل 2024", dt.datetime(2024, 4, 22)),
    ],
)
def test_parse_dateline(line: str, expected: dt.datetime) -> None:
    assert parse_dateline(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "قال الوزير إن الاجتماع سيعقد يوم 14 أبريل 2025 بالرباط",
        "وصل الوزير يوم 14 أبريل 2025",  # a short sentence, not a dateline
        "الاثنين 22 أبريل",  # no year
        "الأخبار الرياضية",
        "",
    ],
)
def test_parse_dateline_rejects_sentences(line: str) -> None:
    assert parse_dateline(line) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-04-22", D(2024, 4, 22)),
        ("2024-04-22T10:15:00Z", D(2024, 4, 22)),
        ("2024-04-22T23:30:00+05:00", D(2024, 4, 22)),  # date as written, no tz shift
        ("2015-07-21 02:51:32", D(2015, 7, 21)),
        ("2024/04/22", D(2024, 4, 22)),
        ("22/04/2024", D(2024, 4, 22)),
        (" 22 أبريل 2024 ", D(2024, 4, 22)),
        ("١٤ دجنبر ٢٠٢٣", D(2023, 12, 14)),
        ("Mon, 22 Apr 2024 10:15:00 GMT", D(2024, 4, 22)),
        (None, None),
        ("", None),
        ("   ", None),
        ("غير معروف", None),
        ("n/a", None),
        ("0000-00-00", None),
        ("1800-01-01", None),
    ],
)
def test_parse_metadata_date(value: str | None, expected: dt.date | None) -> None:
    assert parse_metadata_date(value) == expected


BODY = "أكد الوزير أن الحكومة ماضية في تنفيذ الإصلاحات."


def test_estimate_prefers_metadata_then_dateline() -> None:
    assert estimate_publication("2024-04-22", dt.datetime(2024, 5, 1, 9, 0), BODY) == (
        PublicationEstimate(D(2024, 4, 22), D(2024, 4, 22), D(2024, 4, 22), "metadata"))
    assert estimate_publication("garbage", dt.datetime(2024, 5, 1, 9, 0), BODY) == (
        PublicationEstimate(D(2024, 5, 1), D(2024, 5, 1), D(2024, 5, 1), "dateline"))


def test_estimate_unknown_without_clues() -> None:
    assert estimate_publication(None, None, BODY) == PublicationEstimate(None, None, None,
                                                                         "unknown")
    assert estimate_publication(None, None, "").how == "unknown"
    # yearless dates only: nothing can be placed
    assert estimate_publication(None, None, "اجتمع المجلس يوم 14 دجنبر المنصرم").how == (
        "unknown")
    # a year without any cue says nothing (future events are often written without one)
    assert estimate_publication(None, None, "يستعد المغرب لتنظيم كأس العالم في 2030.").how == (
        "unknown")


def test_estimate_past_relative_gives_lower_bound() -> None:
    # December 2023 is over (المنصرم): published >= 2023-12-31
    text = "صادق المجلس خلال شهر دجنبر 2023 المنصرم على مشروع القانون."
    assert estimate_publication(None, None, text) == PublicationEstimate(
        D(2023, 12, 31), D(2023, 12, 31), None, "inferred")


def test_estimate_past_verb_gives_lower_bound() -> None:
    # "افتتحت ... يوم 14 مارس 2024": the event happened, published >= 2024-03-14
    text = "افتتحت الوزارة يوم 14 مارس 2024 معرضا للكتاب."
    assert estimate_publication(None, None, text) == PublicationEstimate(
        D(2024, 3, 14), D(2024, 3, 14), None, "inferred")


def test_estimate_future_mention_gives_upper_bound() -> None:
    # planned within summer 2024 (year granularity): published <= 2024-12-31
    text = "ويشارك المغرب في المؤتمر الدولي المزمع عقده صيف 2024 بمراكش."
    assert estimate_publication(None, None, text) == PublicationEstimate(
        D(2024, 12, 31), None, D(2024, 12, 31), "inferred")


def test_estimate_future_relative_month_gives_upper_bound() -> None:
    # June 2025 has not started (المقبل): published <= 2025-06-01
    text = "تنطلق الدورة الجديدة في يونيو 2025 المقبل."
    assert estimate_publication(None, None, text) == PublicationEstimate(
        D(2025, 6, 1), None, D(2025, 6, 1), "inferred")


def test_estimate_both_bounds() -> None:
    text = ("افتتحت الوزارة يوم 14 مارس 2024 معرضا للكتاب. "
            "ويشارك المغرب في المؤتمر الدولي المزمع عقده صيف 2024 بمراكش.")
    # lower 2024-03-14 (past verb), upper 2024-12-31 (planned in 2024); point = lower
    assert estimate_publication(None, None, text) == PublicationEstimate(
        D(2024, 3, 14), D(2024, 3, 14), D(2024, 12, 31), "inferred")


def test_estimate_current_year_relation() -> None:
    # الجاري follows "عام 2025": the year is current -> 2025-01-01 <= published <= 2025-12-31
    text = "ومن المنتظر أن يبدأ التشغيل في سبتمبر من عام 2025 الجاري."
    assert estimate_publication(None, None, text) == PublicationEstimate(
        D(2025, 1, 1), D(2025, 1, 1), D(2025, 12, 31), "inferred")


def test_estimate_contradiction_keeps_lower_bound() -> None:
    text = ("جرت الانتخابات في 8 شتنبر 2026 بنجاح. "
            "وسيشارك الوفد في المنتدى المزمع عقده في ماي 2025.")
    estimate = estimate_publication(None, None, text)
    # lower 2026-09-08 > upper 2025-05-31: the upper bound is dropped
    assert (estimate.published, estimate.published_min, estimate.published_max, estimate.how) == (
        D(2026, 9, 8), D(2026, 9, 8), None, "inferred")
    assert estimate.note is not None and "contradiction" in estimate.note


def test_estimate_today_with_weekday_pins_the_date() -> None:
    # years in the text: 2025 -> candidates 2024..2026; 14 April is a Monday only in 2025
    text = "أعلنت الوزارة اليوم الاثنين (14 أبريل) عن ميزانية سنة 2025 الجديدة."
    assert estimate_publication(None, None, text) == PublicationEstimate(
        D(2025, 4, 14), D(2025, 4, 14), D(2025, 4, 14), "inferred",
        "pinned by today/yesterday + date")


def test_estimate_yesterday_pins_the_next_day() -> None:
    text = "وكان الوزير قد أكد أمس الأحد 13 أبريل 2025 أن الحوار مستمر."
    estimate = estimate_publication(None, None, text)
    assert (estimate.published, estimate.how) == (D(2025, 4, 14), "inferred")


def test_estimate_newspaper_named_alyaum_is_not_today() -> None:
    text = "ونشرت صحيفة اليوم (الجمعة 23 فبراير 2007) تقريرا."
    estimate = estimate_publication(None, None, text)
    # not pinned to 2007-02-23 as "today": the dated report only bounds publication below
    assert (estimate.published_min, estimate.published_max) == (D(2007, 2, 23), None)
    assert estimate.note is None


def test_estimate_weekday_date_is_a_reported_event() -> None:
    text = "وقع الطرفان بالرباط، يوم الثلاثاء 24 يونيو 2025، مخطط عمل مشترك."
    estimate = estimate_publication(None, None, text)
    assert (estimate.how, estimate.published_min, estimate.published_max) == (
        "inferred", D(2025, 6, 24), None)


def test_estimate_yearless_relative_dates_take_the_nearest_written_year() -> None:
    # 2022 is far from the relative dates, 2024 is next to them
    text = ("وشارك المغرب في تأمين مونديال قطر سنة 2022 بخبرائه.\n"
            "وتستعد المصالح الأمنية لأولمبياد باريس 2024 الذي ينطلق يوم 26 يوليوز المقبل، "
            "بعد اجتماع تنسيقي عقد يوم 22 أبريل المنصرم.")
    estimate = estimate_publication(None, None, text)
    assert (estimate.published_min, estimate.published_max) == (D(2024, 4, 22), D(2024, 7, 26))
    assert "nearest year" in estimate.note


def test_estimate_future_relative_date_before_past_one_moves_a_year() -> None:
    # the only written year is 2023: December last -> 2023-12; February next would be
    # 2023-02, before December, so it moves to 2024-02
    text = "بعد لقاء دجنبر المنصرم الذي ختم حصيلة سنة 2023، يلتقي الطرفان في فبراير المقبل."
    estimate = estimate_publication(None, None, text)
    assert estimate.published_min == D(2023, 12, 31)
    assert estimate.published_max == D(2024, 2, 1)


def test_estimate_yearless_weekday_date_picks_the_matching_year() -> None:
    # 14 December is a Thursday in 2023 (not in 2022 or 2024)
    text = "عقد الطرفان جلسة عمل الخميس 14 دجنبر، تحضيرا لأولمبياد صيف 2024 المزمع."
    estimate = estimate_publication(None, None, text)
    assert estimate.published_min == D(2023, 12, 14)


@pytest.mark.parametrize("weekday", ["الإثنين", "الاثنين", "الأثنين", "الاتنين"])
def test_weekday_spellings_before_the_day(weekday: str) -> None:
    text = f"انطلقت القمة يوم {weekday} 14 أبريل 2025 بالرباط"
    mention = _one(text)
    assert (mention.text, mention.date) == (f"{weekday} 14 أبريل 2025", D(2025, 4, 14))

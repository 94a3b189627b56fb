"""Topic/entity frequency over time, learned topics and the event timeline, by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.arabic import normalize
from analysis.timeline import (
    entity_frequency,
    event_timeline,
    events_summary,
    topic_frequency,
    wilson_interval,
)
from analysis.topics_learned import content_tokens, learned_topic_frequency, learned_topics

NaT = pd.NaT


def make_documents() -> pd.DataFrame:
    # a1, a2: January 2015; a3: March; a4: only an interval inside March;
    # a5: an interval across February/March; a6: no date at all. February is empty.
    rows = [
        ("a1", "هسبريس", "2015-01-10", NaT, NaT, "metadata", 100),
        ("a2", "اليوم 24", "2015-01-25", NaT, NaT, "dateline", 300),
        ("a3", "هسبريس", "2015-03-05", NaT, NaT, "metadata", 200),
        ("a4", "الصباح", NaT, "2015-03-01", "2015-03-31", "inferred", 400),
        ("a5", "الصباح", NaT, "2015-02-25", "2015-03-03", "inferred", 50),
        ("a6", "الصباح", NaT, NaT, NaT, "unknown", 80),
    ]
    frame = pd.DataFrame(rows, columns=["doc_id", "source", "published", "published_min",
                                        "published_max", "published_how", "n_words"])
    for column in ("published", "published_min", "published_max"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def make_topic_hits() -> pd.DataFrame:
    rows = [
        ("a1", 0, "terrorism", "ارهاب*"), ("a1", 2, "terrorism", "داعش"),
        ("a1", 1, "economy", "استثمار*"), ("a2", 0, "economy", "تضخم"),
        ("a3", 3, "terrorism", "متطرف*"),
        ("a4", 0, "terrorism", "ارهاب*"), ("a4", 1, "terrorism", "ارهاب*"),
        ("a4", 5, "terrorism", "خليه ارهابيه"),
        ("a5", 0, "terrorism", "ارهاب*"), ("a6", 0, "economy", "تضخم"),
    ]
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "topic_id", "term"])


def test_wilson_interval_hand_values() -> None:
    # 3 of 10: p = 0.3, z² = 3.8415, denom = 1 + 3.8415/10 = 1.38415
    # centre = (0.3 + 3.8415/20) / 1.38415 = 0.35551
    # half = 1.96 * sqrt(0.3*0.7/10 + 3.8415/400) / 1.38415 = 0.24772 -> (0.1078, 0.6032)
    low, high = wilson_interval(3, 10)
    assert float(low) == pytest.approx(0.1078, abs=1e-4)
    assert float(high) == pytest.approx(0.6032, abs=1e-4)
    # 0 of 2: centre = half = (3.8415/4)/(1 + 3.8415/2) = 0.32881 -> (0, 0.65762)
    low, high = wilson_interval(np.array([0, 5]), np.array([2, 0]))
    assert low[0] == pytest.approx(0.0, abs=1e-12) and high[0] == pytest.approx(0.65762, 1e-4)
    assert math.isnan(low[1]) and math.isnan(high[1])  # no trials -> no interval


def test_topic_frequency_monthly_with_empty_middle_period() -> None:
    result = topic_frequency(make_documents(), make_topic_hits(), freq="M")
    assert [str(p) for p in result["period"]] == [
        "2015-01", "2015-01", "2015-02", "2015-02", "2015-03", "2015-03"]
    assert list(result["topic_id"]) == ["economy", "terrorism"] * 3
    # January: a1 + a2 -> n_docs 2, words 100 + 300 = 400
    #   economy: a1, a2 -> 2/2 = 1.0, hits 2 -> 2 * 1000 / 400 = 5.0
    #   terrorism: a1 only -> 1/2 = 0.5, hits 2 -> 5.0; Wilson(1, 2) = (0.0945, 0.9055)
    # February: no documents (a5 spans Feb-Mar and is left out) -> share NaN, rate NaN
    # March: a3 + a4 (interval inside March) -> n_docs 2, words 200 + 400 = 600
    #   economy: 0/2 = 0.0; terrorism: 2/2 = 1.0, hits 1 + 3 = 4 -> 4000 / 600 = 6.6667
    assert list(result["n_docs"]) == [2, 2, 0, 0, 2, 2]
    assert list(result["words"]) == [400, 400, 0, 0, 600, 600]
    assert list(result["docs_with_topic"]) == [2, 1, 0, 0, 0, 2]
    assert list(result["hits"]) == [2, 2, 0, 0, 0, 4]
    share = result["share"].to_numpy()
    assert share[[0, 1, 4, 5]].tolist() == [1.0, 0.5, 0.0, 1.0]
    assert np.isnan(share[2]) and np.isnan(share[3])
    rate = result["hits_per_1000_words"].to_numpy()
    assert rate[[0, 1, 4]].tolist() == [5.0, 5.0, 0.0]
    assert rate[5] == pytest.approx(4000 / 600)
    assert np.isnan(rate[2])
    assert result.loc[1, "ci_low"] == pytest.approx(0.094531, abs=1e-6)
    assert result.loc[1, "ci_high"] == pytest.approx(0.905469, abs=1e-6)
    assert np.isnan(result.loc[2, "ci_low"])
    # a5 (interval across two months) and a6 (no date) are counted, not silently dropped
    assert result.attrs["interval_excluded_docs"] == 1
    assert result.attrs["undated_docs"] == 1
    assert result.attrs["out_of_range_docs"] == 0
    assert result.loc[0, "period_start"] == pd.Timestamp("2015-01-01")


def test_interval_document_kept_when_interval_fits_the_period() -> None:
    # Quarterly, a5's interval 25 Feb - 3 Mar lies inside 2015Q1 -> kept: 5 documents in Q1
    result = topic_frequency(make_documents(), make_topic_hits(), freq="Q")
    assert [str(p) for p in result["period"]] == ["2015Q1", "2015Q1"]
    assert list(result["n_docs"]) == [5, 5]
    # terrorism in a1, a3, a4, a5 = 4 of 5 docs; hits 2 + 1 + 3 + 1 = 7
    # words 100 + 300 + 200 + 400 + 50 = 1050 -> 7000 / 1050 = 6.6667
    terrorism = result.loc[result["topic_id"] == "terrorism"].iloc[0]
    assert (terrorism["docs_with_topic"], terrorism["hits"]) == (4, 7)
    assert terrorism["hits_per_1000_words"] == pytest.approx(7000 / 1050)
    assert result.attrs["interval_excluded_docs"] == 0
    assert result.attrs["undated_docs"] == 1


def test_start_end_add_empty_periods_and_count_out_of_range() -> None:
    result = topic_frequency(make_documents(), make_topic_hits(), freq="M",
                             start="2015-02-01", end="2015-05-31", topics=["terrorism", "sport"])
    # periods Feb..May; a1, a2 (January) are out of range; "sport" has no hits but appears
    assert [str(p) for p in result["period"].unique()] == [
        "2015-02", "2015-03", "2015-04", "2015-05"]
    assert list(result["topic_id"].unique()) == ["sport", "terrorism"]
    assert result.attrs["out_of_range_docs"] == 2
    assert result.groupby("period")["n_docs"].first().tolist() == [0, 2, 0, 0]
    weekly = topic_frequency(make_documents(), make_topic_hits(), freq="W", topics=["economy"])
    # 10 Jan 2015 is a Saturday -> week 5-11 Jan; 31 Mar (a4's max) -> a4 excluded in weeks
    assert str(weekly["period"].iloc[0]) == "2015-01-05/2015-01-11"
    assert weekly.attrs["interval_excluded_docs"] == 2


def make_mentions() -> pd.DataFrame:
    rows = [  # doc, sent, start, entity, name, name_en
        ("a1", 0, 5, "morocco", "المغرب", "Morocco"),
        ("a1", 0, 30, "hammouchi", "عبد اللطيف حموشي", "Abdellatif Hammouchi"),
        ("a2", 0, 0, "morocco", "المغرب", "Morocco"),
        ("a3", 0, 0, "hammouchi", "عبد اللطيف حموشي", "Abdellatif Hammouchi"),
        ("a3", 0, 40, "morocco", "المغرب", "Morocco"),
        ("a3", 1, 0, "hammouchi", "عبد اللطيف حموشي", "Abdellatif Hammouchi"),
        ("a5", 0, 0, "hammouchi", "حموشي", "Abdellatif Hammouchi"),
    ]
    frame = pd.DataFrame(rows, columns=["doc_id", "sent_id", "start", "entity_id",
                                        "entity_name", "entity_name_en"])
    frame["para_id"] = 0
    frame["label"] = np.where(frame["entity_id"] == "morocco", "GPE", "PER")
    frame["end"] = frame["start"] + 5
    frame["text"] = frame["entity_name"]
    frame["method"] = "codebook"
    return frame


def test_entity_frequency_by_hand() -> None:
    result = entity_frequency(make_mentions(), make_documents(), freq="M", top_n=1)
    # dated in-range docs: hammouchi in a1, a3 (a5 excluded) = 2; morocco in a1, a2, a3 = 3
    # -> top 1 = morocco. Jan: a1, a2 of 2 docs; Feb: empty; Mar: a3 of 2 docs (a3, a4)
    assert list(result["entity_id"]) == ["morocco"] * 3
    assert list(result["docs_with_entity"]) == [2, 0, 1]
    assert list(result["n_docs"]) == [2, 0, 2]
    assert list(result["mentions"]) == [2, 0, 1]
    assert result["share"].iloc[0] == 1.0 and np.isnan(result["share"].iloc[1])
    assert result["share"].iloc[2] == 0.5
    two = entity_frequency(make_mentions(), make_documents(), freq="Y", top_n=2)
    # 2015: a5's interval (25 Feb - 3 Mar) now fits one period -> 5 docs (a1..a5; a6 undated)
    # hammouchi: a1, a3, a5 = 3 docs, 4 mentions; morocco: a1, a2, a3 = 3 docs, 3 mentions
    # -> tie on docs, broken by mentions: hammouchi first
    assert list(two["entity_id"]) == ["hammouchi", "morocco"]
    assert list(two["rank"]) == [1, 2]
    assert two[["docs_with_entity", "n_docs", "mentions"]].values.tolist() == [
        [3, 5, 4], [3, 5, 3]]
    assert two["share"].tolist() == [0.6, 0.6]


def make_dates() -> pd.DataFrame:
    rows = [  # doc, sent, start, text, date, granularity, how
        ("a1", 0, 60, "10 يناير 2015", "2015-01-10", "day", "absolute"),
        ("a1", 1, 0, "فاتح يناير", "2015-01-01", "day", "resolved"),
        ("a1", 1, 20, "يناير الماضي", "2015-01-01", "month", "resolved"),
        ("a2", 0, 10, "الأحد المنصرم", "2015-01-18", "day", "resolved"),
        ("a2", 1, 0, "سنة 2014", "2014-01-01", "year", "absolute"),
        ("a3", 0, 70, "١٠ يناير ٢٠١٥", "2015-01-10", "day", "absolute"),
    ]
    frame = pd.DataFrame(rows, columns=["doc_id", "sent_id", "start", "text", "date",
                                        "granularity", "how"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["end"] = frame["start"] + frame["text"].str.len()
    return frame


def make_sentences() -> pd.DataFrame:
    rows = [
        ("a1", 0, "التقى المغرب ممثلا في عبد اللطيف حموشي بنظيره الفرنسي يوم 10 يناير 2015."),
        ("a1", 1, "وكان الاجتماع قد تأجل منذ فاتح يناير، أي منذ يناير الماضي."),
        ("a2", 0, "وقعت المملكة اتفاقية جديدة الأحد المنصرم."),
        ("a2", 1, "وهي الثانية من نوعها منذ سنة 2014."),
        ("a3", 0, "زار حموشي باريس يوم ١٠ يناير ٢٠١٥ بدعوة من المغرب."),
    ]
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "text"])


def test_event_timeline_rows() -> None:
    events = event_timeline(make_dates(), make_mentions(), make_sentences(), make_documents())
    # a1/s1 names 1 January twice (day and month): one row, the finer granularity (day);
    # the year-only date of a2/s1 is not an event.
    assert events[["date", "granularity", "doc_id", "sent_id"]].values.tolist() == [
        [pd.Timestamp("2015-01-01"), "day", "a1", 1],
        [pd.Timestamp("2015-01-10"), "day", "a1", 0],
        [pd.Timestamp("2015-01-10"), "day", "a3", 0],
        [pd.Timestamp("2015-01-18"), "day", "a2", 0],
    ]
    # entities in order of first mention within the sentence, Arabic comma between names
    assert events["entities"].tolist() == [
        "", "المغرب، عبد اللطيف حموشي", "عبد اللطيف حموشي، المغرب", "المغرب"]
    assert events["entity_ids"].tolist() == ["", "morocco;hammouchi", "hammouchi;morocco",
                                             "morocco"]
    assert events["entities_en"].tolist()[1] == "Morocco, Abdellatif Hammouchi"
    assert events["n_entities"].tolist() == [0, 2, 2, 1]
    assert events["source"].tolist() == ["هسبريس", "هسبريس", "هسبريس", "اليوم 24"]
    assert events["sentence"].iloc[3] == "وقعت المملكة اتفاقية جديدة الأحد المنصرم."


def test_events_summary_groups_same_date_and_entities_across_documents() -> None:
    events = event_timeline(make_dates(), make_mentions(), make_sentences(), make_documents())
    summary = events_summary(events)
    # 10 Jan: a1/s0 and a3/s0 name the same two entities (in another order) -> one event,
    # 2 documents, 1 outlet (both هسبريس); 18 Jan: a2 alone; the 1 Jan row has no entities.
    assert summary[["date", "n_docs", "n_sources", "doc_ids"]].values.tolist() == [
        [pd.Timestamp("2015-01-10"), 2, 1, "a1;a3"],
        [pd.Timestamp("2015-01-18"), 1, 1, "a2"],
    ]
    assert summary["entities"].iloc[0] == "المغرب، عبد اللطيف حموشي"
    assert len(events_summary(events, with_entities_only=False)) == 3


def test_content_tokens_drop_stopwords_digits_and_single_letters() -> None:
    text = "قال الوزير إنّ الاستثمارات ارتفعت بـ ١٢ في المائة سنة 2015 و ن"
    # قال, إن, في, المائة are stop words; ١٢ and 2015 are numbers; و, ن are one letter;
    # normalisation: ة -> ه (سنة -> سنه); الاستثمارات keeps its article
    assert content_tokens(text) == ["الوزير", "الاستثمارات", "ارتفعت", "سنه"]
    assert content_tokens("مكافحـــة الإرهـاب") == ["مكافحه", "الارهاب"]  # tatweel, hamza


SECURITY = [
    "أعلنت المديرية العامة للأمن الوطني تفكيك خلية إرهابية تنشط في مدينة طنجة",
    "تمكنت مصالح الأمن من تفكيك خلية إرهابية موالية لتنظيم داعش وحجز أسلحة",
    "قال مصدر أمني إن الخلية الإرهابية كانت تخطط لعمليات تفجير داعش",
    "أشاد المسؤول الفرنسي بالتعاون الأمني في تفكيك الخلايا الإرهابية",
]
ECONOMY = [
    "ارتفع معدل النمو الاقتصادي بفضل انتعاش الصادرات والاستثمار الأجنبي",
    "توقع البنك المركزي تراجع معدل التضخم وارتفاع النمو الاقتصادي",
    "سجلت الصادرات الفلاحية ارتفاعا ملحوظا مما قلص عجز الميزان التجاري",
    "أكد وزير الاقتصاد أن الاستثمار الأجنبي يدعم النمو وخلق فرص الشغل",
]


def make_text_documents() -> pd.DataFrame:
    texts = SECURITY + ECONOMY
    frame = pd.DataFrame({
        "doc_id": [f"t{i}" for i in range(len(texts))], "text": texts,
        "published": pd.to_datetime(["2015-01-05"] * 4 + ["2015-02-05"] * 4),
        "n_words": [len(t.split()) for t in texts], "source": "هسبريس",
    })
    frame["published_min"] = pd.NaT
    frame["published_max"] = pd.NaT
    return frame


def test_learned_topics_separate_themes_and_are_deterministic() -> None:
    docs = make_text_documents()
    topics, doc_topics = learned_topics(docs, n_topics=2, top_terms=5, seed=0)
    again_topics, again_doc_topics = learned_topics(docs.sample(frac=1, random_state=1),
                                                    n_topics=2, top_terms=5, seed=0)
    pd.testing.assert_frame_equal(topics, again_topics)
    pd.testing.assert_frame_equal(doc_topics, again_doc_topics)
    dominant = doc_topics.loc[doc_topics["dominant"]].set_index("doc_id")["topic"]
    security = {dominant[f"t{i}"] for i in range(4)}
    economy = {dominant[f"t{i}"] for i in range(4, 8)}
    assert len(security) == 1 and len(economy) == 1 and security != economy
    security_terms = topics.loc[topics["topic"] == security.pop(), "terms"].iloc[0]
    assert "تفكيك" in security_terms  # in 3 of 8 documents, only security ones
    assert all(label.count(" · ") == 2 for label in topics["label"])
    # terms are fitted on matching forms but shown in the corpus spelling:
    # ارهابيه (matching form) is displayed as إرهابية, خليه as خلية
    security_row = topics.loc[topics["terms"].map(lambda terms: "تفكيك" in terms)].iloc[0]
    shown = dict(zip(security_row["terms_normalized"], security_row["terms"], strict=True))
    assert shown["ارهابيه"] == "إرهابية" and shown["خليه"] == "خلية"
    assert all(normalize(term) == norm for norm, term in shown.items())
    assert doc_topics.groupby("doc_id")["share"].sum().round(9).eq(1.0).all()


def test_learned_topics_reject_empty_vocabulary() -> None:
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["في من على إلى 2024"]})  # stop words, digits
    with pytest.raises(ValueError, match="no terms left"):
        learned_topics(docs, min_df=2)


def test_learned_topic_frequency_by_hand() -> None:
    documents = make_documents()
    doc_topics = pd.DataFrame({
        "doc_id": ["a1", "a1", "a2", "a3", "a4"],
        "topic": [0, 1, 1, 0, 0],
        "weight": [0.3, 0.1, 0.5, 0.2, 0.4],
        "share": [0.75, 0.25, 1.0, 1.0, 1.0],
        "dominant": [True, False, True, True, True],
    })
    result = learned_topic_frequency(doc_topics, documents, freq="M")
    # Jan (a1, a2): topic 0 dominant in a1 -> 1/2, mean share (0.75 + 0) / 2 = 0.375
    #               topic 1 dominant in a2 -> 1/2, mean share (0.25 + 1.0) / 2 = 0.625
    # Feb: empty; Mar (a3, a4): topic 0 dominant in both -> 2/2, mean share 1.0; topic 1 0/2
    assert list(result["docs_dominant"]) == [1, 1, 0, 0, 2, 0]
    assert list(result["n_docs"]) == [2, 2, 0, 0, 2, 2]
    assert result["mean_share"].iloc[[0, 1, 4, 5]].tolist() == [0.375, 0.625, 1.0, 0.0]
    assert np.isnan(result["share"].iloc[2])


def test_learned_topics_relax_limits_for_a_tiny_corpus():
    import pandas as pd

    from analysis.topics_learned import learned_topics

    documents = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "text": ["استقبل حموشي المدير الفرنسي بالرباط لبحث التعاون الأمني",
                 "بحث التعاون الأمني بين الرباط وباريس في مكافحة الإرهاب",
                 "ناقش الوزيران تأمين الألعاب الأولمبية والتعاون الأمني"],
    })
    # 3 documents: max_df=0.5 allows 1 document, fewer than min_df=2 -> max_df relaxed to 1.0
    topics, _ = learned_topics(documents, n_topics=2)
    assert topics.attrs["max_df"] == 1.0 and topics.attrs["min_df"] == 2
    assert len(topics) == 2


def test_conjunction_is_dropped_only_where_unambiguous():
    from analysis.topics_learned import content_tokens, without_conjunction

    assert without_conjunction("والجزائر") == ("الجزائر", 1)
    assert without_conjunction("وزير") == ("وزير", 0)  # و is the word's own letter
    assert without_conjunction("فرنسا") == ("فرنسا", 0)
    # وفي -> في (a stop word, dropped); والتعاون -> التعاون
    assert content_tokens("وفي والتعاون وزير") == ["التعاون", "وزير"]

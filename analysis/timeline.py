"""What is talked about, when: topic and entity frequency per period, event timeline.

Periods (``freq``): ``W`` (weeks Monday-Sunday), ``M``, ``Q``, ``Y``.  Every period
between the first and the last (or ``start``/``end``) is present in the results,
also when it holds no document: its ``n_docs`` is 0 and its shares are NaN, so
figures show a gap instead of silently joining the neighbours.

Which period a document belongs to (``document_periods``):

* a point publication date (``published``) -> the period containing it;
* no point date but an interval ``published_min``..``published_max`` -> the period
  containing the interval **only when the whole interval lies inside one period**;
  otherwise the document is left out (we never guess a period it may not belong
  to) and counted as ``interval_excluded_docs``.  Coarser ``freq`` keeps more of
  them;
* no date at all -> left out, counted as ``undated_docs``;
* dated outside ``start``..``end`` -> left out, counted as ``out_of_range_docs``.

These counts are returned in ``frame.attrs`` so the report can state them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

FREQS: dict[str, str] = {"W": "W-SUN", "M": "M", "Q": "Q-DEC", "Y": "Y-DEC"}
Z_95 = 1.959963984540054  # two-sided 95% normal quantile
EXCLUSION_KEYS = ("interval_excluded_docs", "undated_docs", "out_of_range_docs")


def wilson_interval(
    successes: np.ndarray | float, trials: np.ndarray | float, z: float = Z_95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion (NaN where ``trials == 0``).

    ``centre = (p + z²/2n) / (1 + z²/n)``,
    ``half = z * sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n)``.  Unlike the normal
    approximation it stays inside [0, 1] and behaves for small n and p near 0/1.
    """
    k = np.asarray(successes, dtype="float64")
    n = np.asarray(trials, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denominator = 1.0 + z * z / n
        centre = (p + z * z / (2.0 * n)) / denominator
        half = z * np.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denominator
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def period_freq(freq: str) -> str:
    """pandas Period alias for one of W, M, Q, Y."""
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {sorted(FREQS)}, got {freq!r}")
    return FREQS[freq]


def _column_periods(docs: pd.DataFrame, column: str, freq: str) -> pd.Series:
    """Periods of a date column (all NaT when the column is absent)."""
    values = docs[column] if column in docs else pd.Series(pd.NaT, index=docs.index)
    return pd.to_datetime(values).dt.to_period(period_freq(freq))


def document_periods(
    documents: pd.DataFrame, freq: str = "M", start: object = None, end: object = None
) -> tuple[pd.DataFrame, pd.PeriodIndex, dict[str, int]]:
    """Assign documents to periods by the rule in the module docstring.

    Returns (doc_id, period, n_words, source, how) for the kept documents, the full
    period range (every period from first to last, or ``start`` to ``end``) and the
    counts of documents left out.  ``how`` is ``point`` or ``interval``.
    """
    docs = documents.reset_index(drop=True)
    point = _column_periods(docs, "published", freq)
    low = _column_periods(docs, "published_min", freq)
    high = _column_periods(docs, "published_max", freq)
    has_point = point.notna()
    has_interval = ~has_point & (low.notna() | high.notna())
    inside_one = has_interval & low.notna() & high.notna() & (low == high)
    period = point.where(has_point, low.where(inside_one))
    how = pd.Series(np.where(has_point, "point", "interval"), index=docs.index)
    counts = {
        "interval_excluded_docs": int((has_interval & ~inside_one).sum()),
        "undated_docs": int((~has_point & ~has_interval).sum()),
        "out_of_range_docs": 0,
    }
    kept = pd.DataFrame({
        "doc_id": docs["doc_id"], "period": period,
        "n_words": docs["n_words"] if "n_words" in docs else 0,
        "source": docs["source"] if "source" in docs else None, "how": how,
    }).loc[period.notna()]
    first = pd.Period(pd.Timestamp(start), period_freq(freq)) if start is not None else None
    last = pd.Period(pd.Timestamp(end), period_freq(freq)) if end is not None else None
    in_range = pd.Series(True, index=kept.index)
    if first is not None:
        in_range &= kept["period"] >= first
    if last is not None:
        in_range &= kept["period"] <= last
    counts["out_of_range_docs"] = int((~in_range).sum())
    kept = kept.loc[in_range].sort_values(["period", "doc_id"], ignore_index=True)
    first = first if first is not None else (kept["period"].min() if len(kept) else None)
    last = last if last is not None else (kept["period"].max() if len(kept) else None)
    if first is None or last is None or first > last:
        periods = pd.PeriodIndex([], freq=period_freq(freq), name="period")
    else:
        periods = pd.period_range(first, last, freq=period_freq(freq), name="period")
    return kept, periods, counts


def period_grid(periods: pd.PeriodIndex, keys: Sequence[object], key_name: str) -> pd.DataFrame:
    """Every (period, key) combination, so empty periods stay visible."""
    grid = pd.MultiIndex.from_product([periods, list(keys)], names=["period", key_name])
    return grid.to_frame(index=False)


def add_shares(
    frame: pd.DataFrame, successes: str, counts: dict[str, int], freq: str
) -> pd.DataFrame:
    """Add share, Wilson interval, period_start; put the exclusion counts in attrs."""
    frame["share"] = frame[successes] / frame["n_docs"].where(frame["n_docs"] > 0)
    frame["ci_low"], frame["ci_high"] = wilson_interval(frame[successes], frame["n_docs"])
    frame.insert(1, "period_start", frame["period"].dt.start_time)
    frame.attrs = {"freq": freq, **counts}
    return frame


def topic_frequency(
    documents: pd.DataFrame,
    topic_hits: pd.DataFrame,
    freq: str = "M",
    start: object = None,
    end: object = None,
    topics: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per (period, topic): share of documents mentioning the topic, hits per 1,000 words.

    Columns: period, period_start, topic_id, n_docs (documents in the period),
    docs_with_topic, share (= docs_with_topic / n_docs, NaN for empty periods),
    ci_low, ci_high (95% Wilson), hits (topic_hits rows), words (sum of n_words),
    hits_per_1000_words.  ``topics`` lists topic ids to report (also those
    without hits); default: the topics present in ``topic_hits``.  Sorted by
    period then topic_id; documents left out are counted in ``attrs``.
    """
    kept, periods, counts = document_periods(documents, freq, start, end)
    topic_ids = sorted(set(topics) if topics is not None else set(topic_hits["topic_id"]))
    grid = period_grid(periods, topic_ids, "topic_id")
    per_period = kept.groupby("period", sort=True).agg(
        n_docs=("doc_id", "size"), words=("n_words", "sum"))
    hits = topic_hits.loc[topic_hits["topic_id"].isin(topic_ids), ["doc_id", "topic_id"]]
    hits = hits.merge(kept[["doc_id", "period"]], on="doc_id", how="inner")
    per_topic = hits.groupby(["period", "topic_id"], sort=True).agg(
        docs_with_topic=("doc_id", "nunique"), hits=("doc_id", "size"))
    frame = grid.join(per_period, on="period").join(per_topic, on=["period", "topic_id"])
    for column in ("n_docs", "words", "docs_with_topic", "hits"):
        frame[column] = frame[column].fillna(0).astype("int64")
    frame = add_shares(frame, "docs_with_topic", counts, freq)
    frame["hits_per_1000_words"] = frame["hits"] * 1000.0 / frame["words"].where(
        frame["words"] > 0)
    columns = ["period", "period_start", "topic_id", "n_docs", "docs_with_topic", "share",
               "ci_low", "ci_high", "hits", "words", "hits_per_1000_words"]
    return frame[columns]


def entity_frequency(
    mentions: pd.DataFrame,
    documents: pd.DataFrame,
    freq: str = "M",
    top_n: int = 10,
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Documents mentioning each of the ``top_n`` entities, per period.

    The top entities are those in most dated, in-range documents (ties: more
    mentions, then entity_id).  Columns: period, period_start, entity_id,
    entity_name, entity_name_en, label, rank (1 = most documents), n_docs,
    docs_with_entity, share, ci_low, ci_high, mentions.
    """
    from analysis.cooccurrence import top_entities

    kept, periods, counts = document_periods(documents, freq, start, end)
    used = mentions.loc[mentions["entity_id"].notna()]
    used = used.merge(kept[["doc_id", "period"]], on="doc_id", how="inner")
    top = top_entities(used, top_n=top_n, by="docs")
    top["rank"] = np.arange(1, len(top) + 1)
    grid = period_grid(periods, list(top["entity_id"]), "entity_id")
    per_period = kept.groupby("period", sort=True).agg(n_docs=("doc_id", "size"))
    used = used.loc[used["entity_id"].isin(set(top["entity_id"]))]
    per_entity = used.groupby(["period", "entity_id"], sort=True).agg(
        docs_with_entity=("doc_id", "nunique"), mentions=("doc_id", "size"))
    frame = grid.join(per_period, on="period").join(per_entity, on=["period", "entity_id"])
    for column in ("n_docs", "docs_with_entity", "mentions"):
        frame[column] = frame[column].fillna(0).astype("int64")
    frame = frame.merge(top[["entity_id", "entity_name", "entity_name_en", "label", "rank"]],
                        on="entity_id", how="left")
    frame = add_shares(frame, "docs_with_entity", counts, freq)
    frame = frame.sort_values(["period", "rank"], ignore_index=True)
    columns = ["period", "period_start", "entity_id", "entity_name", "entity_name_en", "label",
               "rank", "n_docs", "docs_with_entity", "share", "ci_low", "ci_high", "mentions"]
    return frame[columns]


EVENT_COLUMNS = ["date", "granularity", "doc_id", "sent_id", "source", "date_text", "sentence",
                 "entities", "entities_en", "entity_ids", "n_entities"]
_GRANULARITY_RANK = {"day": 0, "month": 1, "year": 2}


def event_timeline(
    dates: pd.DataFrame,
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    granularities: Sequence[str] = ("day", "month"),
) -> pd.DataFrame:
    """Dated events: each date the articles give (day/month), with its sentence's entities.

    One row per (date, doc_id, sent_id); when a sentence names the same date at
    two granularities the finer one is kept.  ``entities`` are the Arabic names
    joined by "، " in order of first mention (``entities_en``: Latin names,
    ``entity_ids``: ids joined by ";").  Only dates whose ``how`` is absolute or
    resolved count.  Sorted by date, doc_id, sent_id.
    """
    keep = dates["granularity"].isin(list(granularities)) & dates["how"].isin(
        ["absolute", "resolved"]) & dates["date"].notna()
    events = dates.loc[keep, ["doc_id", "sent_id", "date", "granularity", "text", "start"]].copy()
    events["date"] = pd.to_datetime(events["date"])
    events["rank"] = events["granularity"].map(_GRANULARITY_RANK)
    events = events.sort_values(["date", "doc_id", "sent_id", "rank", "start"])
    events = events.drop_duplicates(["date", "doc_id", "sent_id"])
    events = events.rename(columns={"text": "date_text"}).drop(columns=["rank", "start"])

    named = mentions.loc[mentions["entity_id"].notna()].copy()
    if "entity_name_en" not in named:
        named["entity_name_en"] = None
    named = named.sort_values(["doc_id", "sent_id", "start", "entity_id"])
    named = named.drop_duplicates(["doc_id", "sent_id", "entity_id"])
    named["entity_name_en"] = named["entity_name_en"].fillna(named["entity_name"])
    grouped = named.groupby(["doc_id", "sent_id"], sort=True).agg(
        entities=("entity_name", "، ".join), entities_en=("entity_name_en", ", ".join),
        entity_ids=("entity_id", ";".join), n_entities=("entity_id", "size"))
    events = events.join(grouped, on=["doc_id", "sent_id"])
    events = events.join(
        sentences.set_index(["doc_id", "sent_id"])["text"].rename("sentence"),
        on=["doc_id", "sent_id"])
    events = events.join(documents.set_index("doc_id")["source"], on="doc_id")
    for column in ("entities", "entities_en", "entity_ids"):
        events[column] = events[column].fillna("").astype("str")
    events["n_entities"] = events["n_entities"].fillna(0).astype("int64")
    events = events.sort_values(["date", "doc_id", "sent_id"], ignore_index=True)
    return events[EVENT_COLUMNS]


SUMMARY_COLUMNS = ["date", "granularity", "entity_ids", "entities", "entities_en", "n_docs",
                   "n_sources", "sources", "doc_ids", "sentence"]


def events_summary(events: pd.DataFrame, with_entities_only: bool = True) -> pd.DataFrame:
    """Group events with the same date, granularity and entity set across documents/outlets.

    ``n_docs``/``n_sources`` count distinct documents and outlets reporting it;
    ``sentence``, ``entities`` and ``entity_ids`` come from the first document by
    (source, doc_id); the entity set is compared order-free.  Sorted by date, then
    n_sources and n_docs descending, then the entity set.
    """
    rows = events.loc[events["entity_ids"] != ""] if with_entities_only else events
    rows = rows.assign(source=rows["source"].fillna("").astype("str"))
    # the same entities named in another order are the same event: group on the sorted set
    entity_set = rows["entity_ids"].map(lambda ids: ";".join(sorted(set(ids.split(";")) - {""})))
    rows = rows.assign(entity_set=entity_set)
    rows = rows.sort_values(["date", "entity_set", "source", "doc_id", "sent_id"])
    grouped = rows.groupby(["date", "granularity", "entity_set"], sort=True)
    summary = grouped.agg(
        entity_ids=("entity_ids", "first"),
        entities=("entities", "first"), entities_en=("entities_en", "first"),
        n_docs=("doc_id", "nunique"),
        n_sources=("source", lambda s: s[s != ""].nunique()),
        sources=("source", lambda s: ", ".join(sorted(set(s) - {""}))),
        doc_ids=("doc_id", lambda s: ";".join(sorted(set(s)))),
        sentence=("sentence", "first"),
    ).reset_index()
    summary = summary.sort_values(["date", "n_sources", "n_docs", "entity_set"],
                                  ascending=[True, False, False, True], ignore_index=True)
    return summary[SUMMARY_COLUMNS]

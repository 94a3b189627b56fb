"""Corpus overview: what is in the corpus, how it was dated and cleaned, what failed.

The numbers behind the report's first section ("Corpus and data quality").
"""

from __future__ import annotations

import pandas as pd

PROVENANCE_ORDER = ("metadata", "dateline", "inferred", "unknown")


def source_summary(documents: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: articles, words, median length, first and last publication date."""
    grouped = documents.groupby("source", sort=True)
    summary = pd.DataFrame(
        {
            "articles": grouped.size(),
            "words": grouped["n_words"].sum(),
            "median_words": grouped["n_words"].median(),
            "first": grouped["published"].min(),
            "last": grouped["published"].max(),
        }
    )
    summary = summary.sort_values(["articles", "words"], ascending=False, kind="mergesort")
    return summary.reset_index()


def date_provenance(documents: pd.DataFrame) -> pd.DataFrame:
    """How many articles got their date from metadata, a dateline, inference, or none."""
    counts = documents["published_how"].value_counts()
    rows = [{"published_how": how, "articles": int(counts.get(how, 0))} for how in PROVENANCE_ORDER]
    frame = pd.DataFrame(rows)
    total = frame["articles"].sum()
    frame["share"] = frame["articles"] / total if total else 0.0
    return frame


def inferred_dates(documents: pd.DataFrame) -> pd.DataFrame:
    """Articles dated by inference or left unknown, with their interval, for checking."""
    mask = documents["published_how"].isin(["inferred", "unknown"])
    columns = ["doc_id", "source", "title", "published_how", "published_min", "published",
               "published_max"]
    return documents.loc[mask, columns].sort_values("doc_id").reset_index(drop=True)


def removal_summary(removed: pd.DataFrame) -> pd.DataFrame:
    """Lines removed by cleaning, per reason, with the number of articles affected."""
    if removed.empty:
        return pd.DataFrame(columns=["reason", "lines", "articles"])
    grouped = removed.groupby("reason")
    frame = pd.DataFrame({"lines": grouped.size(), "articles": grouped["doc_id"].nunique()})
    return frame.sort_values(["lines", "articles"], ascending=False).reset_index()


def problems_table(problems: pd.DataFrame) -> pd.DataFrame:
    """Every skipped or repaired input, errors first, in a stable order."""
    order = {"error": 0, "warning": 1}
    frame = problems.copy()
    frame["_rank"] = frame["severity"].map(order).fillna(2)
    frame = frame.sort_values(["_rank", "path", "doc_id"], kind="mergesort", na_position="first")
    return frame.drop(columns="_rank").reset_index(drop=True)

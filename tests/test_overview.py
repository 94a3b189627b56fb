"""Corpus overview numbers on a hand-made table."""

from __future__ import annotations

import pandas as pd

from analysis.overview import (
    date_provenance,
    problems_table,
    removal_summary,
    source_summary,
)


def _documents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a1", "a2", "b1", "b2", "c1"],
            "source": ["أ", "أ", "ب", "ب", "ب"][:5],
            "published": pd.to_datetime(
                ["2024-01-05", "2024-03-10", "2024-01-20", None, "2024-01-31"]
            ),
            "published_how": ["metadata", "metadata", "dateline", "unknown", "inferred"],
            "n_words": [100, 300, 200, 50, 150],
        }
    )


def test_source_summary():
    summary = source_summary(_documents()).set_index("source")
    # ب: 3 articles, 200+50+150 = 400 words, median 150
    assert summary.loc["ب", "articles"] == 3
    assert summary.loc["ب", "words"] == 400
    assert summary.loc["ب", "median_words"] == 150
    assert summary.loc["أ", "last"] == pd.Timestamp("2024-03-10")
    assert summary.index.tolist() == ["ب", "أ"]


def test_date_provenance_lists_every_kind():
    frame = date_provenance(_documents()).set_index("published_how")
    assert frame["articles"].to_dict() == {
        "metadata": 2, "dateline": 1, "inferred": 1, "unknown": 1,
    }
    assert frame.loc["metadata", "share"] == 2 / 5


def test_removal_summary_counts_lines_and_articles():
    removed = pd.DataFrame(
        {"doc_id": ["x", "x", "y"], "line_no": [1, 2, 1], "text": ["•", "•", "©"],
         "reason": ["ticker", "ticker", "copyright"]}
    )
    frame = removal_summary(removed).set_index("reason")
    assert frame.loc["ticker"].tolist() == [2, 1]
    assert frame.loc["copyright"].tolist() == [1, 1]


def test_problems_table_puts_errors_first():
    problems = pd.DataFrame(
        {"path": ["b.txt", "a.txt", "c.json"], "doc_id": ["b", "a", None],
         "severity": ["warning", "error", "error"], "message": ["m1", "m2", "m3"]}
    )
    assert problems_table(problems)["path"].tolist() == ["a.txt", "c.json", "b.txt"]

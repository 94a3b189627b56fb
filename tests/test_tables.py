"""Table schemas and subsetting."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.tables import SCHEMAS, TABLE_NAMES, rows_to_arrow, subset_tables


def test_every_design_table_has_its_columns():
    required = {
        "documents": {"doc_id", "source", "title", "url", "published", "published_min",
                      "published_max", "published_how", "text", "n_words", "encoding", "sha256"},
        "removed": {"doc_id", "line_no", "text", "reason"},
        "sentences": {"doc_id", "para_id", "sent_id", "start", "end", "text"},
        "mentions": {"doc_id", "para_id", "sent_id", "start", "end", "text", "label",
                     "entity_id", "entity_name", "method"},
        "dates": {"doc_id", "sent_id", "start", "end", "text", "date", "granularity", "how"},
        "topic_hits": {"doc_id", "sent_id", "topic_id", "term"},
        "problems": {"path", "doc_id", "severity", "message"},
    }
    assert set(TABLE_NAMES) == set(required)
    for name, columns in required.items():
        assert columns <= set(SCHEMAS[name].names), name


def test_rows_to_arrow_fills_missing_keys_with_null():
    table = rows_to_arrow("problems", [{"path": "a.txt", "severity": "error", "message": "m"}])
    assert table.to_pylist() == [
        {"path": "a.txt", "doc_id": None, "severity": "error", "message": "m"}
    ]


def _tables():
    documents = pd.DataFrame(
        {"doc_id": ["d1", "d2", "d3"], "source": ["س", "ص", "س"],
         "published": pd.to_datetime(["2024-01-01", "2024-06-01", None])}
    )
    mentions = pd.DataFrame({"doc_id": ["d1", "d2", "d3", "d3"], "entity_id": list("abcd")})
    problems = pd.DataFrame({"path": ["x"], "doc_id": [None], "severity": ["error"],
                             "message": ["m"]})
    return {"documents": documents, "mentions": mentions, "problems": problems}


def test_subset_by_source_filters_every_table():
    sub = subset_tables(_tables(), sources=["س"])
    assert sub["documents"]["doc_id"].tolist() == ["d1", "d3"]
    assert sub["mentions"]["entity_id"].tolist() == ["a", "c", "d"]
    assert len(sub["problems"]) == 1  # problems are about inputs, never filtered


def test_subset_by_date_drops_undated_documents():
    sub = subset_tables(_tables(), start="2024-02-01", end="2024-12-31")
    assert sub["documents"]["doc_id"].tolist() == ["d2"]


def test_subset_unknown_source_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown source"):
        subset_tables(_tables(), sources=["ط"])

"""The processed tables: their schemas, where they live, and how to load them.

This is the contract between `prepare` and every analysis (DESIGN.md,
"Processed tables"). Schemas are explicit so that an empty table still has the
right columns and types, and so that Parquet files are byte-identical across
runs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

TABLE_NAMES: tuple[str, ...] = (
    "documents",
    "removed",
    "sentences",
    "mentions",
    "dates",
    "topic_hits",
    "problems",
)

_str = pa.string()
_int = pa.int32()

#: A span of documents.text located in its paragraph and sentence.
_SPAN_IN_SENTENCE = [
    ("doc_id", _str),
    ("para_id", _int),
    ("sent_id", _int),
    ("start", _int),
    ("end", _int),
    ("text", _str),
]

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", _str),
            ("source", _str),
            ("title", _str),
            ("url", _str),
            ("published", pa.date32()),
            ("published_min", pa.date32()),
            ("published_max", pa.date32()),
            ("published_how", _str),
            ("text", _str),
            ("n_words", _int),
            ("n_paragraphs", _int),
            ("encoding", _str),
            ("sha256", _str),
            ("path", _str),
            ("format", _str),
        ]
    ),
    "removed": pa.schema(
        [("doc_id", _str), ("line_no", _int), ("text", _str), ("reason", _str)]
    ),
    "sentences": pa.schema(_SPAN_IN_SENTENCE),
    "mentions": pa.schema(
        [
            *_SPAN_IN_SENTENCE,
            ("label", _str),
            ("entity_id", _str),
            ("entity_name", _str),
            ("entity_name_en", _str),
            ("method", _str),
        ]
    ),
    "dates": pa.schema(
        [
            ("doc_id", _str),
            ("sent_id", _int),
            ("start", _int),
            ("end", _int),
            ("text", _str),
            ("date", pa.date32()),
            ("granularity", _str),
            ("how", _str),
            ("relation", _str),
        ]
    ),
    "topic_hits": pa.schema(
        [("doc_id", _str), ("sent_id", _int), ("topic_id", _str), ("term", _str)]
    ),
    "problems": pa.schema(
        [("path", _str), ("doc_id", _str), ("severity", _str), ("message", _str)]
    ),
}

DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("published", "published_min", "published_max"),
    "dates": ("date",),
}


def processed_dir(workdir: str | Path) -> Path:
    """Folder of the Parquet tables for a work directory."""
    return Path(workdir) / "data" / "processed"


def table_path(workdir: str | Path, name: str) -> Path:
    """Path of one processed table."""
    if name not in SCHEMAS:
        raise KeyError(f"unknown table {name!r}; tables are {', '.join(TABLE_NAMES)}")
    return processed_dir(workdir) / f"{name}.parquet"


def rows_to_arrow(name: str, rows: list[dict]) -> pa.Table:
    """Build a table of the named schema from row dicts (missing keys become null)."""
    schema = SCHEMAS[name]
    columns = {field.name: [row.get(field.name) for row in rows] for field in schema}
    return pa.Table.from_pydict(columns, schema=schema)


def load_table(workdir: str | Path, name: str) -> pd.DataFrame:
    """Load one processed table; date columns become datetime64 for easy resampling."""
    path = table_path(workdir, name)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: run `python -m analysis prepare --workdir {workdir}` first"
        )
    frame = pq.read_table(path).to_pandas()
    for column in DATE_COLUMNS.get(name, ()):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def load_tables(workdir: str | Path) -> dict[str, pd.DataFrame]:
    """All processed tables of a work directory, keyed by name."""
    return {name: load_table(workdir, name) for name in TABLE_NAMES}


def subset_tables(
    tables: dict[str, pd.DataFrame],
    sources: list[str] | None = None,
    start: str | None = None,
    end: str | None = None,
) -> dict[str, pd.DataFrame]:
    """Restrict every table to the documents of some outlets and/or a date range.

    `start`/`end` are inclusive ISO dates ("" or None = open). With a date range,
    only documents with a point publication date inside it are kept: an
    undated article cannot be placed in a period. Unknown outlet names raise a
    ValueError listing the known ones, so a typo never yields an empty report.
    """
    documents = tables["documents"]
    keep = pd.Series(True, index=documents.index)
    if sources:
        known = set(documents["source"])
        unknown = sorted(set(sources) - known)
        if unknown:
            raise ValueError(f"unknown source(s) {unknown}; known: {sorted(known)}")
        keep &= documents["source"].isin(sources)
    if start:
        keep &= documents["published"] >= pd.Timestamp(start)
    if end:
        keep &= documents["published"] <= pd.Timestamp(end)
    if keep.all():
        return dict(tables)
    doc_ids = set(documents.loc[keep, "doc_id"])
    subset = {}
    for name, frame in tables.items():
        if name == "problems" or "doc_id" not in frame.columns:
            subset[name] = frame
        else:
            subset[name] = frame[frame["doc_id"].isin(doc_ids)].reset_index(drop=True)
    return subset

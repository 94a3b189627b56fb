"""What a notebook records for the report.

A notebook computes its numbers, figures and tables, and hands them to a
`ReportSection`, which writes the files (figures, CSV tables) and one JSON file
per section under ``reports/sections/``. `analysis.report` renders those JSON
files; notebooks stay thin and the report never re-runs an analysis.

Everything written is deterministic: the JSON has sorted keys and no
timestamps, figures are saved by `analysis.plots.style.save_figure`, and what a
notebook displays inline (SVG text, DataFrame heads) is stable across runs so
nbval can compare outputs.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.plots.style import save_figure

SCHEMA_VERSION = 1
MAX_EXAMPLES = 3
CONTEXT_COLUMNS = ("doc_id", "source", "sentence", "start", "end")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def reports_dir(workdir: str | Path) -> Path:
    """The folder that holds report.html, figures/, tables/ and sections/."""
    return Path(workdir) / "reports"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and os.replace.

    Readers never see a half-written file; on failure the old file stays and the
    temporary file is removed. The file gets the usual umask-based mode (mkstemp
    alone would leave it readable by its owner only).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _check_name(kind: str, name: str) -> str:
    """Names become file names and HTML ids: allow only [A-Za-z0-9_-]."""
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ValueError(f"{kind} {name!r} must match [A-Za-z0-9][A-Za-z0-9_-]*")
    return name


def jsonable(value: Any) -> Any:
    """A JSON-safe scalar for a table cell or finding value.

    Missing values (None, NaN, NA, NaT) become None; numpy scalars become
    Python numbers; infinities and other objects become strings; dates become
    ISO strings (a midnight timestamp without zone becomes a plain date).
    """
    if value is None:
        return None
    if isinstance(value, (str, bool)):
        return value
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, (bool, str)):
            return value
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        if pd.isna(value):
            return None
        if value.tzinfo is None and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return value if math.isfinite(value) else str(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _display(obj: Any) -> None:
    """Show `obj` in the notebook when running under IPython; do nothing otherwise."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return
    if get_ipython() is not None:
        display(obj)


@dataclass
class ReportSection:
    """One section of the report, recorded by a notebook and saved as JSON.

    `order` places the section in the report; `id` is its anchor and file name.
    Findings are gathered into the report's summary; blocks (text, figures,
    tables) are shown in the order the notebook recorded them.
    """

    id: str
    title: str
    order: int
    workdir: Path
    intro: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check_name("section id", self.id)
        self.workdir = Path(self.workdir)
        if not isinstance(self.order, int):
            raise TypeError(f"order must be an int, got {type(self.order).__name__}")

    # -- recording ---------------------------------------------------------

    def finding(self, label: str, value: Any, detail: str = "") -> None:
        """Record a key number or name, shown as a card in the report summary."""
        self.findings.append(
            {"label": str(label), "value": jsonable(value), "detail": str(detail or "")}
        )

    def text(self, paragraph: str) -> None:
        """Record a paragraph of plain text (blank lines separate paragraphs)."""
        self.blocks.append({"type": "text", "text": str(paragraph)})

    def figure(self, fig: Figure, name: str, caption: str = "", alt: str = "") -> Path:
        """Save `fig` as reports/figures/<name>.svg and .png, show it, close it.

        The SVG (not the live figure) is displayed, so the notebook's stored
        output is the same deterministic file the report inlines.
        """
        _check_name("figure name", name)
        stem = reports_dir(self.workdir) / "figures" / name
        save_figure(fig, stem)
        plt.close(fig)
        svg_path = stem.with_suffix(".svg")
        from IPython.display import SVG

        _display(SVG(data=svg_path.read_text(encoding="utf-8")))
        self.blocks.append(
            {
                "type": "figure",
                "name": name,
                "caption": str(caption or ""),
                "alt": str(alt or caption or name),
            }
        )
        return svg_path

    def table(
        self,
        df: pd.DataFrame,
        name: str,
        caption: str = "",
        max_rows: int = 25,
        rtl_columns: Iterable[str] | None = None,
        context: pd.DataFrame | None = None,
        key: str | None = None,
        show: Iterable[str] | None = None,
    ) -> Path:
        """Write the full table to reports/tables/<name>.csv and keep its head for the report.

        `show` (optional) lists the columns the report and notebook display; the
        CSV always has every column.

        `context` holds example sentences: a `key` column (default: the first
        column of `df` that `context` also has) plus doc_id, source, sentence,
        start, end (the mention's offsets within the sentence). Up to three
        examples per shown row are kept, in the order given.
        """
        _check_name("table name", name)
        if max_rows < 1:
            raise ValueError("max_rows must be at least 1")
        rtl = [str(c) for c in (rtl_columns or [])]
        shown = list(show) if show is not None else list(df.columns)
        missing = [c for c in [*rtl, *shown] if c not in df.columns]
        if missing:
            raise ValueError(f"columns not in table {name!r}: {missing}")
        csv_path = reports_dir(self.workdir) / "tables" / f"{name}.csv"
        csv_text = df.to_csv(index=False, lineterminator="\n")
        atomic_write_bytes(csv_path, csv_text.encode("utf-8"))

        full_head = df.head(max_rows)
        head = full_head[shown]
        columns = [str(c) for c in head.columns]
        rows = [[jsonable(v) for v in row] for row in head.itertuples(index=False, name=None)]
        block: dict[str, Any] = {
            "type": "table",
            "name": name,
            "caption": str(caption or ""),
            "columns": columns,
            "rows": rows,
            "n_rows": int(len(df)),
            "rtl_columns": [c for c in rtl if c in shown],
            "csv": f"tables/{name}.csv",
            "key": None,
            "context": {},
        }
        if context is not None:
            key = _context_key(df, context, key)
            shown_keys = {_key_text(v) for v in full_head[key]}
            block["key"] = key
            block["row_keys"] = [_key_text(v) for v in full_head[key]]
            block["context"] = _examples(context, key, shown_keys)
        self.blocks.append(block)
        _display(head)
        return csv_path

    # -- saving ------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready content of the section (no paths, no timestamps)."""
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "title": self.title,
            "order": self.order,
            "intro": self.intro,
            "findings": self.findings,
            "blocks": self.blocks,
        }

    def save(self) -> Path:
        """Write reports/sections/<order>_<id>.json atomically and return its path."""
        path = reports_dir(self.workdir) / "sections" / f"{self.order}_{self.id}.json"
        text = json.dumps(
            self.to_dict(), sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False
        )
        atomic_write_bytes(path, (text + "\n").encode("utf-8"))
        return path


def _key_text(value: Any) -> str:
    """The string form of a key value, used to match table rows with context rows."""
    value = jsonable(value)
    return "" if value is None else str(value)


def _context_key(df: pd.DataFrame, context: pd.DataFrame, key: str | None) -> str:
    absent = [c for c in CONTEXT_COLUMNS if c not in context.columns and c != "source"]
    if absent:
        raise ValueError(f"context lacks columns {absent}")
    if key is None:
        shared = [c for c in df.columns if c in context.columns and c not in CONTEXT_COLUMNS]
        if not shared:
            raise ValueError("context shares no key column with the table; pass key=")
        key = str(shared[0])
    if key not in df.columns or key not in context.columns:
        raise ValueError(f"key {key!r} must be a column of both the table and the context")
    return key


def _examples(context: pd.DataFrame, key: str, keys: set[str]) -> dict[str, list[dict]]:
    """Up to MAX_EXAMPLES example sentences per key, in the given order, offsets checked."""
    examples: dict[str, list[dict]] = {}
    has_source = "source" in context.columns
    for record in context.to_dict("records"):
        key_text = _key_text(record[key])
        if key_text not in keys or len(examples.get(key_text, [])) >= MAX_EXAMPLES:
            continue
        sentence = str(record["sentence"])
        start, end = int(record["start"]), int(record["end"])
        if not 0 <= start <= end <= len(sentence):
            raise ValueError(
                f"highlight {start}:{end} outside sentence of length {len(sentence)} "
                f"(doc_id {record['doc_id']!r})"
            )
        source = jsonable(record["source"]) if has_source else None
        examples.setdefault(key_text, []).append(
            {
                "doc_id": str(record["doc_id"]),
                "source": None if source is None else str(source),
                "sentence": sentence,
                "start": start,
                "end": end,
            }
        )
    return examples


def load_sections(workdir: str | Path) -> list[dict[str, Any]]:
    """Read reports/sections/*.json, sorted by (order, id); duplicate ids are an error.

    A duplicate id usually means a stale file from an earlier run with another
    order, which would otherwise show the section twice.
    """
    folder = reports_dir(workdir) / "sections"
    sections: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"{path.name}: unsupported section schema {data.get('schema')!r}")
        if data["id"] in seen:
            first = seen[data["id"]]
            raise ValueError(f"section id {data['id']!r} in both {first} and {path.name}")
        seen[data["id"]] = path.name
        sections.append(data)
    sections.sort(key=lambda s: (s["order"], s["id"]))
    return sections

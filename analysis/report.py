"""Section JSON files + figures -> one self-contained, escaped ``reports/report.html``.

The report works offline and by e-mail: figures are inlined as base64 data
URIs inside ``<img>`` (an SVG in an image cannot run script), styles are
inline, there is no JavaScript at all, and a Content-Security-Policy forbids
every network load. Jinja2 renders with autoescape on; corpus text is never
marked safe. Arabic text is wrapped in ``lang="ar" dir="rtl"`` elements.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from analysis import __version__
from analysis.section import atomic_write_bytes, load_sections, reports_dir

TEMPLATES = Path(__file__).parent / "templates"

CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)

# Arabic letters (basic, supplement, extended-A, presentation forms), not digits/punctuation.
_AR = (
    "\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08c9"
    "\ufb50-\ufdfb\ufe70-\ufefc"
)
ARABIC_LETTER = re.compile(f"[{_AR}]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# An Arabic run: from an Arabic letter to the last Arabic letter before any Latin letter.
ARABIC_RUN = re.compile(f"[{_AR}](?:[^A-Za-z\u00c0-\u024f<>]*[{_AR}\u064b-\u065f\u0670])?")

#: Provenance keys shown first, with their labels; other keys follow, sorted.
PROVENANCE_LABELS: dict[str, str] = {
    "corpus": "Corpus",
    "corpus_fingerprint": "Corpus fingerprint",
    "n_documents": "Documents",
    "codebook": "Codebook",
    "codebook_fingerprint": "Codebook fingerprint",
    "git_commit": "Git commit",
    "package_version": "Package version",
    "python_version": "Python version",
    "platform": "Platform",
    "started": "Run started",
    "run_started": "Run started",
    "run_time": "Run time",
    "run_seconds": "Run duration (s)",
    "prepare": "Prepared tables",
    "prepare_cached": "Prepared tables reused from cache",
    "package_versions": "Package versions",
    "parameters": "Parameters",
}


def has_arabic(value: Any) -> bool:
    """True if `value` is a string containing at least one Arabic letter."""
    return isinstance(value, str) and ARABIC_LETTER.search(value) is not None


def is_arabic_text(value: Any) -> bool:
    """True for Arabic text without Latin letters: the whole element can be rtl."""
    return has_arabic(value) and LATIN_LETTER.search(value) is None


def bidi(value: Any) -> Markup:
    """Escape `value`, wrapping each Arabic run in ``<bdi lang="ar" dir="rtl">``.

    Every piece of text is escaped separately before it is joined, so the
    result is safe markup whatever the input holds.
    """
    text = "" if value is None else str(value)
    if is_arabic_text(text):
        return Markup('<bdi lang="ar" dir="rtl">{}</bdi>').format(text)
    parts: list[Markup] = []
    position = 0
    for match in ARABIC_RUN.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup('<bdi lang="ar" dir="rtl">{}</bdi>').format(match.group()))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def is_number(value: Any) -> bool:
    """True for int/float values (not bools): right-aligned, formatted."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def format_value(value: Any) -> str:
    """Readable number formatting: thousands separators, sensible decimals."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value == 0:
            return "0"
        magnitude = abs(value)
        if magnitude >= 100:
            return f"{value:,.0f}"
        if magnitude >= 1:
            return f"{value:,.2f}".rstrip("0").rstrip(".")
        return f"{value:.3g}"
    return str(value)


def paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs at blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def plain(value: Any) -> str:
    """A provenance/parameter value as one line of text (lists and dicts as JSON)."""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return format_value(value) if value is not None else "—"


def figure_data_uri(figures_dir: Path, name: str) -> str | None:
    """The figure as a data URI: the SVG if present, else the PNG, else None."""
    for suffix, mime in ((".svg", "image/svg+xml"), (".png", "image/png")):
        path = figures_dir / f"{name}{suffix}"
        if path.is_file():
            return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    return None


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(bidi=bidi, fmt=format_value, paragraphs=paragraphs, plain=plain)
    env.tests.update(arabic=has_arabic, arabic_text=is_arabic_text, number=is_number)
    return env


def _prepare_blocks(section: dict[str, Any], figures_dir: Path, counters: dict[str, int]) -> None:
    """Add what the template needs: figure data URIs, numbers, row labels for context."""
    for block in section["blocks"]:
        if block["type"] == "figure":
            counters["figure"] += 1
            block["number"] = counters["figure"]
            block["src"] = figure_data_uri(figures_dir, block["name"])
        elif block["type"] == "table":
            counters["table"] += 1
            block["number"] = counters["table"]
            block["examples"] = _row_examples(block)
            block["numeric_columns"] = [
                column for i, column in enumerate(block["columns"])
                if any(row[i] is not None for row in block["rows"])
                and all(row[i] is None or is_number(row[i]) for row in block["rows"])
            ]


def _row_examples(table: dict[str, Any]) -> list[dict[str, Any]]:
    """Per shown row with context: a label (its first rtl column, else key) and sentences."""
    key = table.get("key")
    if not key or not table.get("context"):
        return []
    columns = table["columns"]
    row_keys = table.get("row_keys")
    if row_keys is None:  # sections saved before row_keys existed: the key is a shown column
        key_index = columns.index(key)
        row_keys = ["" if row[key_index] is None else str(row[key_index]) for row in table["rows"]]
    label_columns = [c for c in table["rtl_columns"] if c in columns] or (
        [key] if key in columns else [])
    label_indexes = [columns.index(c) for c in label_columns]
    examples = []
    for row, key_value in zip(table["rows"], row_keys, strict=True):
        sentences = table["context"].get(key_value, [])
        if sentences:
            parts = [str(row[i]) for i in label_indexes if row[i] is not None]
            label = _shorten(" · ".join(parts) or key_value)
            examples.append({"label": label, "sentences": sentences})
    return examples


def _shorten(text: str, limit: int = 110) -> str:
    """A one-line label: long quotes are cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def render_report(
    sections: list[dict[str, Any]], provenance: dict[str, Any], figures_dir: Path
) -> str:
    """Render the report HTML from loaded sections and the runner's provenance."""
    counters = {"figure": 0, "table": 0}
    for section in sections:
        _prepare_blocks(section, figures_dir, counters)
    known = [k for k in PROVENANCE_LABELS if k in provenance and k != "parameters"]
    others = sorted(k for k in provenance if k not in PROVENANCE_LABELS)
    provenance_rows = [
        (PROVENANCE_LABELS.get(k, k.replace("_", " ").capitalize()), provenance[k])
        for k in known + others
    ]
    template = _environment().get_template("report.html.j2")
    return template.render(
        sections=sections,
        parameters=dict(sorted((provenance.get("parameters") or {}).items())),
        provenance=provenance,
        provenance_rows=provenance_rows,
        csp=CSP,
        version=__version__,
    )


def build_report(workdir: Path, provenance: dict[str, Any]) -> Path:
    """Write reports/report.html (atomically) from reports/sections/*.json and figures."""
    out_dir = reports_dir(workdir)
    html = render_report(load_sections(workdir), provenance, out_dir / "figures")
    path = out_dir / "report.html"
    atomic_write_bytes(path, html.encode("utf-8"))
    return path

"""Shared look of every figure and deterministic saving.

matplotlib >= 3.11 shapes Arabic text itself, so labels are passed as plain
strings (no arabic-reshaper / python-bidi, which would garble them now).
SVG output is made reproducible: no creation date, a fixed hash salt for ids,
and text drawn as paths so the file does not depend on installed fonts.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

#: Colour per entity label, colour-blind-safe (Okabe–Ito).
LABEL_COLORS: dict[str, str] = {
    "PER": "#0072B2",
    "ORG": "#D55E00",
    "GPE": "#009E73",
    "LOC": "#56B4E9",
    "EVENT": "#CC79A7",
    "MISC": "#999999",
}

#: Qualitative palette for outlets and topics (Okabe–Ito followed by Tableau).
PALETTE: list[str] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
    "#56B4E9", "#F0E442", "#000000", "#8C564B", "#7F7F7F",
]

SVG_HASH_SALT = "arabic-news-analysis"
PNG_DPI = 150

_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Noto Naskh Arabic", "Arial"],
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.bbox": "tight",
    "svg.fonttype": "path",
    "svg.hashsalt": SVG_HASH_SALT,
    "legend.frameon": False,
    "axes.unicode_minus": False,
}


def apply_style() -> None:
    """Set the project's rcParams (fonts that cover Arabic, deterministic SVG)."""
    matplotlib.rcParams.update(_RC)


def display_name(name_ar: str | None, name_en: str | None, label_lang: str = "ar") -> str:
    """The label to show for an entity: Arabic or Latin name, falling back to the other."""
    first, second = (name_ar, name_en) if label_lang == "ar" else (name_en, name_ar)
    for value in (first, second):
        if value is not None and str(value).strip() and str(value) != "nan":
            return str(value)
    return ""


def _atomic_write(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp creates owner-only files; figures are for sharing
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save_figure(fig: Figure, stem: str | Path, close: bool = False) -> dict[str, str]:
    """Write `stem`.svg and `stem`.png deterministically and atomically.

    Returns the paths written. The SVG carries no date and uses a fixed hash
    salt, so the same figure gives the same bytes on every run.
    """
    stem = Path(stem)
    svg, png = stem.with_suffix(".svg"), stem.with_suffix(".png")
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT, "svg.fonttype": "path"}):
        _atomic_write(svg, lambda p: fig.savefig(p, format="svg", metadata={"Date": None}))
        _atomic_write(
            png,
            lambda p: fig.savefig(
                p, format="png", dpi=PNG_DPI, metadata={"Software": None}
            ),
        )
    if close:
        plt.close(fig)
    return {"svg": str(svg), "png": str(png)}


FREQ_NAMES = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def outlet_colors(sources) -> dict[str, str]:
    """A stable colour per outlet (sorted names take the palette in order), for every figure."""
    names = sorted({str(s) for s in sources})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}

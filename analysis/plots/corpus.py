"""Figures of the corpus overview: lengths, dating, cleaning.

(Articles per outlet over time is `plots.sources.articles_per_source_figure`.)
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.plots.style import apply_style, outlet_colors

PROVENANCE_COLORS = {
    "metadata": "#0072B2",
    "dateline": "#009E73",
    "inferred": "#E69F00",
    "unknown": "#999999",
}


def lengths_figure(documents: pd.DataFrame) -> Figure:
    """Article length (words) per outlet: one dot per article over a box plot."""
    apply_style()
    sources = sorted(documents["source"].unique())
    colors = outlet_colors(sources)
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(sources) + 1.4))
    data = [documents.loc[documents["source"] == s, "n_words"].to_numpy() for s in sources]
    ax.boxplot(data, vert=False, widths=0.5, showfliers=False,
               medianprops={"color": "black"}, boxprops={"color": "#555555"})
    rng = np.random.default_rng(0)
    for i, (source, values) in enumerate(zip(sources, data, strict=True), start=1):
        jitter = rng.uniform(-0.15, 0.15, size=len(values))
        ax.scatter(values, np.full(len(values), i) + jitter, s=14, color=colors[source],
                   alpha=0.8, zorder=3)
    ax.set_yticks(range(1, len(sources) + 1), sources)
    ax.set_xlabel("words per article (after cleaning)")
    ax.set_title("Article length by outlet")
    fig.tight_layout()
    return fig


def provenance_figure(provenance: pd.DataFrame) -> Figure:
    """One horizontal stacked bar: where each article's publication date came from."""
    apply_style()
    fig, ax = plt.subplots(figsize=(8, 1.6))
    left = 0
    total = provenance["articles"].sum()
    for row in provenance.itertuples():
        if row.articles == 0:
            continue
        ax.barh(0, row.articles, left=left, color=PROVENANCE_COLORS.get(row.published_how, "#777"))
        ax.text(left + row.articles / 2, 0, f"{row.published_how}\n{row.articles}",
                ha="center", va="center", color="white", fontsize=9, fontweight="bold")
        left += row.articles
    ax.set_xlim(0, max(total, 1))
    ax.set_yticks([])
    ax.set_xlabel("articles")
    ax.set_title("Source of the publication date")
    for side in ("left",):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def removal_figure(summary: pd.DataFrame) -> Figure:
    """Lines removed by cleaning, per reason."""
    apply_style()
    frame = summary.sort_values("lines")
    fig, ax = plt.subplots(figsize=(7, 0.4 * max(len(frame), 1) + 1.2))
    ax.barh(frame["reason"].astype(str), frame["lines"], color="#56B4E9")
    for y, (lines, docs) in enumerate(zip(frame["lines"], frame["articles"], strict=True)):
        ax.text(lines, y, f" {lines} lines / {docs} articles", va="center", fontsize=8)
    ax.set_xlabel("lines removed")
    ax.set_title("What cleaning removed")
    ax.set_xlim(0, max(frame["lines"].max() if len(frame) else 1, 1) * 1.45)
    fig.tight_layout()
    return fig

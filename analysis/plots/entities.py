"""Figures of the entities section: the most mentioned entities, by type."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis.plots.style import LABEL_COLORS, apply_style, display_name

#: Panels of the top-entities figure: entity labels shown together.
LABEL_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("People", ("PER",)),
    ("Organisations", ("ORG",)),
    ("Places", ("GPE", "LOC")),
    ("Events and other", ("EVENT", "MISC")),
)


def top_entities_figure(top: pd.DataFrame, per_panel: int = 10, label_lang: str = "ar") -> Figure:
    """Most mentioned entities per type, as small multiples of horizontal bars.

    `top` is `cooccurrence.top_entities` output (entity_name, entity_name_en,
    label, docs, mentions). Bars show the number of articles naming the entity;
    the figure says so, because mention counts favour long articles.
    """
    apply_style()
    panels = [(title, top[top["label"].isin(labels)].head(per_panel))
              for title, labels in LABEL_GROUPS]
    panels = [(title, frame) for title, frame in panels if len(frame)]
    if not panels:
        fig, ax = plt.subplots(figsize=(6, 2))
        ax.text(0.5, 0.5, "No entities found", ha="center", va="center")
        ax.set_axis_off()
        return fig
    ncols = 2 if len(panels) > 1 else 1
    nrows = math.ceil(len(panels) / ncols)
    height = max(len(frame) for _, frame in panels) * 0.32 + 1.0
    fig, axes = plt.subplots(nrows, ncols, figsize=(11, height * nrows), squeeze=False)
    for ax, (title, frame) in zip(axes.flat, panels, strict=False):
        frame = frame.iloc[::-1]
        names = [display_name(a, e, label_lang) for a, e in
                 zip(frame["entity_name"], frame["entity_name_en"], strict=True)]
        colors = [LABEL_COLORS.get(label, "#777777") for label in frame["label"]]
        ax.barh(range(len(frame)), frame["docs"], color=colors)
        ax.set_yticks(range(len(frame)), names)
        for y, value in enumerate(frame["docs"]):
            ax.text(value, y, f" {value}", va="center", fontsize=8)
        ax.set_title(title, loc="left")
        ax.set_xlim(0, frame["docs"].max() * 1.15)
        ax.tick_params(axis="y", labelsize=9)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_axis_off()
    fig.supxlabel("articles naming the entity", fontsize=9)
    fig.tight_layout()
    return fig

"""Figures comparing outlets: volume, entity/topic profiles, keyness, reuse matrix.

Inputs are the frames of :mod:`analysis.sources` and :mod:`analysis.reuse`.
Arabic labels are plain strings (matplotlib shapes them).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from analysis.plots.style import FREQ_NAMES, PALETTE, apply_style, outlet_colors

OTHER = "other outlets"
_MAX_OUTLETS = 9


def _empty(message: str) -> Figure:
    fig, ax = plt.subplots(figsize=(6, 2))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", color="#555555")
    return fig


def articles_per_source_figure(counts: pd.DataFrame, freq_label: str = "month") -> Figure:
    """Stacked bars of articles per period and outlet (`articles_per_source` output).

    The 9 largest outlets get their own colour; the rest are stacked as "other outlets".
    `freq_label` is a word (month) or a period code (W, M, Q, Y).
    """
    apply_style()
    freq_label = FREQ_NAMES.get(freq_label, freq_label)
    if counts.empty or counts["n_articles"].sum() == 0:
        return _empty("No dated articles")
    totals = counts.groupby("source")["n_articles"].sum()
    totals = totals.sort_values(ascending=False, kind="stable")
    keep = list(totals.index[:_MAX_OUTLETS])
    frame = counts.assign(source=counts["source"].where(counts["source"].isin(keep), OTHER))
    table = frame.pivot_table(index="period", columns="source", values="n_articles",
                              aggfunc="sum", fill_value=0).sort_index()
    order = keep + ([OTHER] if OTHER in table.columns else [])
    table = table[order]
    colors = outlet_colors(counts["source"].unique())
    fig, ax = plt.subplots(figsize=(max(6.0, 0.45 * len(table) + 3), 4))
    positions = np.arange(len(table))
    bottom = np.zeros(len(table))
    for source in order:
        color = "#BBBBBB" if source == OTHER else colors[source]
        ax.bar(positions, table[source], bottom=bottom, color=color, label=source, width=0.8)
        bottom += table[source].to_numpy()
    step = max(1, len(table) // 12)
    ax.set_xticks(positions[::step])
    ax.set_xticklabels([p.strftime("%Y-%m-%d" if freq_label == "week" else "%Y-%m")
                        for p in table.index[::step]], rotation=45, ha="right")
    ax.set_ylabel("articles")
    ax.set_xlabel(freq_label)
    ax.set_title(f"Articles per outlet and {freq_label}")
    handles, names = ax.get_legend_handles_labels()  # top of the stack first, as drawn
    ax.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    fig.tight_layout()
    return fig


def profile_heatmap(profile: pd.DataFrame, tests: pd.DataFrame | None = None,
                    title: str = "Share of each outlet's articles mentioning the item",
                    alpha: float = 0.05) -> Figure:
    """Items x outlets heatmap of shares, each cell annotated "n/N" (articles with / all).

    With `tests` (`source_association_test` output), items whose difference
    between outlets is significant (p < alpha; the Monte-Carlo p-value when
    expected counts are small) get a "*" after their name.
    """
    apply_style()
    if profile.empty:
        return _empty("No items to profile")
    items = list(dict.fromkeys(profile["item"]))
    names = profile.drop_duplicates("item").set_index("item")["item_name"].astype(str)
    labels = {item: names[item] for item in items}
    if tests is not None and not tests.empty:
        p_used = tests["p_monte_carlo"].where(tests["low_expected"], tests["p_value"])
        significant = set(tests.loc[p_used < alpha, "item"])
        labels = {item: f"{label} *" if item in significant else label
                  for item, label in labels.items()}
    sources = sorted(profile["source"].unique())
    share = profile.pivot(index="item", columns="source", values="share").loc[items, sources]
    hits = profile.pivot(index="item", columns="source", values="articles_with").loc[items, sources]
    sizes = profile.pivot(index="item", columns="source", values="n_articles").loc[items, sources]
    fig, ax = plt.subplots(figsize=(1.0 * len(sources) + 3.5, 0.42 * len(items) + 1.8))
    image = ax.imshow(share.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for row in range(len(items)):
        for col in range(len(sources)):
            value = share.iat[row, col]
            ax.text(col, row, f"{hits.iat[row, col]}/{sizes.iat[row, col]}", ha="center",
                    va="center", fontsize=7, color="white" if value > 0.55 else "#222222")
    ax.set_xticks(range(len(sources)))
    ax.set_xticklabels(sources, rotation=40, ha="right")
    ax.set_yticks(range(len(items)))
    ax.set_yticklabels([labels[item] for item in items])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    colorbar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colorbar.set_label("share of the outlet's articles")
    ax.set_title(title, fontsize=10)
    if tests is not None and not tests.empty:
        ax.set_xlabel(f"* outlets differ more than chance (p < {alpha:g}); cells: n/N articles",
                      fontsize=7, color="#555555")
    fig.tight_layout()
    return fig


def keyness_figure(keyness: pd.DataFrame, n: int = 15, target: str = "target",
                   reference: str = "other outlets") -> Figure:
    """Diverging bars of signed G² for the `n` most over- and under-represented features."""
    apply_style()
    stat = "g2" if "g2" in keyness.columns else "chi2"
    keyness = keyness.astype({stat: "float64"})
    positive = keyness[keyness[stat] > 0].nlargest(n, stat)
    negative = keyness[keyness[stat] < 0].nsmallest(n, stat)
    shown = pd.concat([positive, negative.iloc[::-1]])
    if shown.empty:
        return _empty("No distinctive features")
    label_column = "entity_name" if "entity_name" in shown.columns else "feature"
    fig, ax = plt.subplots(figsize=(7, 0.28 * len(shown) + 1.6))
    positions = np.arange(len(shown))[::-1]
    colors = [PALETTE[0] if value > 0 else PALETTE[1] for value in shown[stat]]
    ax.barh(positions, shown[stat], color=colors, height=0.75)
    ax.set_yticks(positions)
    ax.set_yticklabels([str(v) for v in shown[label_column]], fontsize=8)
    ax.axvline(0, color="#444444", linewidth=0.8)
    span = float(np.abs(shown[stat]).max())
    for y, (value, n_t, n_r) in zip(positions, zip(shown[stat], shown["n_target"],
                                                  shown["n_reference"], strict=True),
                                    strict=True):
        ax.text(value + (0.01 * span if value > 0 else -0.01 * span), y, f"{n_t}/{n_r}",
                va="center", ha="left" if value > 0 else "right", fontsize=6, color="#555555")
    left = float(-negative[stat].min()) if len(negative) else 0.0
    right = float(positive[stat].max()) if len(positive) else 0.0
    ax.set_xlim(-max(1.25 * left, 0.3 * span), max(1.25 * right, 0.3 * span))
    ax.set_xlabel(f"signed G²   (← more in {reference} | more in {target} →)")
    ax.set_title(f"Distinctive words: {target} vs {reference}\n"
                 f"(counts: {target}/{reference})", fontsize=10)
    fig.tight_layout()
    return fig


def reuse_matrix_figure(matrix: pd.DataFrame, title: str | None = None) -> Figure:
    """Outlet x outlet counts of reuse pairs (`reuse_matrix` output); zero cells left blank."""
    apply_style()
    if matrix.empty or matrix.to_numpy().sum() == 0:
        return _empty("No reused passages between documents")
    values = matrix.to_numpy(dtype=float)
    size = 0.55 * len(matrix) + 2.5
    fig, ax = plt.subplots(figsize=(size + 1, size))
    shown = np.where(values > 0, values, np.nan)
    image = ax.imshow(shown, cmap="Oranges", aspect="equal",
                      vmin=0, vmax=float(np.nanmax(shown)))
    threshold = 0.6 * float(np.nanmax(shown))
    small = len(matrix) > 10
    for row in range(values.shape[0]):
        for col in range(values.shape[1]):
            if values[row, col] > 0:
                ax.text(col, row, f"{int(values[row, col])}", ha="center", va="center",
                        fontsize=6 if small else 8,
                        color="white" if values[row, col] > threshold else "#222222")
    ax.set_xticks(range(len(matrix.columns)))
    ax.set_xticklabels(matrix.columns, rotation=45, ha="right")
    ax.set_yticks(range(len(matrix.index)))
    ax.set_yticklabels(matrix.index)
    directed = matrix.index.name == "earlier"
    ax.set_ylabel("published first (copied)" if directed else "outlet")
    ax.set_xlabel("published later (copying)" if directed else "outlet")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_facecolor("#f2f2f2")  # empty cells stay visible as light grey squares
    ax.set_xticks(np.arange(-0.5, len(matrix.columns)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(matrix.index)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    colorbar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colorbar.set_label("document pairs")
    colorbar.locator = MaxNLocator(integer=True)
    colorbar.update_ticks()
    ax.set_title(title or ("Who reuses whom" if directed else "Document pairs sharing passages"))
    fig.tight_layout()
    return fig

"""Figures for topics and entities over time, learned topics and the event timeline.

Inputs are the frames of :mod:`analysis.timeline` / :mod:`analysis.topics_learned`.
Periods without documents are drawn as gaps (grey bands), never bridged by a line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.plots.style import LABEL_COLORS, PALETTE, apply_style, display_name
from analysis.timeline import events_summary

FREQ_NAMES = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def topic_labels(topics: pd.DataFrame | None, ids: Sequence[str], label_lang: str) -> dict:
    """topic_id -> display label from a topics table (topic_id or id, label_ar, label_en)."""
    labels = {topic_id: str(topic_id) for topic_id in ids}
    if topics is None or topics.empty:
        return labels
    key = "topic_id" if "topic_id" in topics.columns else "id"
    for row in topics.to_dict("records"):
        name = display_name(row.get("label_ar"), row.get("label_en"), label_lang)
        if row[key] in labels and name:
            labels[row[key]] = name
    return labels


def _topic_order(topics: pd.DataFrame | None, ids: Sequence[str]) -> list[str]:
    if topics is None or topics.empty:
        return sorted(ids)
    key = "topic_id" if "topic_id" in topics.columns else "id"
    listed = [t for t in topics[key] if t in set(ids)]
    return listed + sorted(set(ids) - set(listed))


def _shade_empty_periods(ax: plt.Axes, periods: pd.DataFrame) -> None:
    empty = periods.loc[periods["n_docs"] == 0]
    for start, end in zip(empty["period_start"], empty["period_end"], strict=True):
        ax.axvspan(start, end, color="#e8e8e8", linewidth=0, zorder=0)


def _period_table(frame: pd.DataFrame) -> pd.DataFrame:
    periods = frame.drop_duplicates("period")[["period", "period_start", "n_docs"]].copy()
    periods["period_end"] = periods["period"].dt.end_time
    return periods.sort_values("period_start", ignore_index=True)


def _period_middle(frame: pd.DataFrame) -> pd.Series:
    """Middle of each row's period: points sit inside the span their period covers."""
    start = frame["period_start"]
    return start + (frame["period"].dt.end_time - start) / 2


def _format_dates(ax: plt.Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def share_panels(
    frame: pd.DataFrame,
    key: str,
    order: Sequence[object],
    labels: dict,
    colors: dict | None = None,
    title: str = "",
    ncols: int = 3,
    ylabel: str = "% of articles",
) -> Figure:
    """Small multiples: share (with Wilson band) per period for each key, plus article counts.

    ``frame`` needs period, period_start, n_docs, share, ci_low, ci_high and ``key``.
    One panel per key (shared axes); a last row shows articles per period; grey
    bands mark periods without articles.
    """
    apply_style()
    n_panels = max(len(order), 1)
    ncols = max(1, min(ncols, n_panels))
    nrows = math.ceil(n_panels / ncols)
    height = 2.3 * nrows + 2.1
    fig = plt.figure(figsize=(3.6 * ncols + 0.6, height))
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[1] * nrows + [0.55], hspace=0.6,
                            wspace=0.12, top=1 - 0.8 / height, bottom=0.5 / height)
    periods = _period_table(frame) if len(frame) else pd.DataFrame(
        columns=["period", "period_start", "n_docs", "period_end"])
    top = np.nanmax(frame["ci_high"].to_numpy(dtype="float64")) if frame["ci_high"].notna().any() \
        else 1.0
    axes = []
    for index, item in enumerate(order):
        ax = fig.add_subplot(grid[index // ncols, index % ncols],
                             sharex=axes[0] if axes else None, sharey=axes[0] if axes else None)
        axes.append(ax)
        rows = frame.loc[frame[key] == item].sort_values("period_start")
        color = (colors or {}).get(item, PALETTE[index % len(PALETTE)])
        _shade_empty_periods(ax, periods)
        x = _period_middle(rows)
        ax.fill_between(x, rows["ci_low"] * 100, rows["ci_high"] * 100, color=color, alpha=0.2,
                        linewidth=0)
        ax.plot(x, rows["share"] * 100, color=color, linewidth=1.6, marker="o", markersize=3)
        ax.set_title(labels.get(item, str(item)), fontsize=10, loc="left")
        ax.set_ylim(0, min(100.0, top * 100 * 1.08) or 1.0)
        ax.grid(axis="y", color="#eeeeee", linewidth=0.8)
        has_panel_below = index + ncols < len(order)
        ax.tick_params(labelbottom=not has_panel_below)
        if not has_panel_below:
            _format_dates(ax)
        if index % ncols == 0:
            ax.set_ylabel(ylabel)
        else:
            ax.tick_params(labelleft=False)
    count_ax = fig.add_subplot(grid[nrows, :])
    if len(periods):
        widths = (periods["period_end"] - periods["period_start"]) * 0.8
        count_ax.bar(_period_middle(periods), periods["n_docs"], width=widths, color="#9e9e9e")
        if axes:
            count_ax.set_xlim(axes[0].get_xlim())
        _format_dates(count_ax)
    count_ax.set_ylabel("articles")
    count_ax.set_title("articles per period (grey bands: no articles)", fontsize=9, loc="left",
                       color="#555555", fontweight="normal")
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    return fig


def topic_share_figure(
    topic_freq: pd.DataFrame,
    topics: pd.DataFrame | None = None,
    label_lang: str = "ar",
    ncols: int = 3,
) -> Figure:
    """Share of articles mentioning each codebook topic per period, with 95% Wilson bands."""
    ids = list(dict.fromkeys(topic_freq["topic_id"]))
    order = _topic_order(topics, ids)
    freq = FREQ_NAMES.get(str(topic_freq.attrs.get("freq", "")), "period")
    return share_panels(topic_freq, "topic_id", order, topic_labels(topics, order, label_lang),
                        title=f"Topics over time: share of articles per {freq} (95% Wilson band)",
                        ncols=ncols)


def learned_topic_share_figure(
    learned_freq: pd.DataFrame, topics: pd.DataFrame, ncols: int = 4
) -> Figure:
    """Share of articles whose dominant learned (NMF) topic is each topic, per period."""
    order = sorted(int(t) for t in learned_freq["topic"].unique())
    # Latin word first: the title is laid out left-to-right around the Arabic terms
    labels = {int(r.topic): f"Topic {int(r.topic) + 1}: {r.label}" for r in topics.itertuples()}
    frame = learned_freq.rename(columns={"docs_dominant": "docs_with_topic"})
    return share_panels(frame, "topic", order, labels, ncols=ncols,
                        title="Learned topics over time: share of articles (dominant topic)")


def entity_frequency_figure(
    entity_freq: pd.DataFrame, label_lang: str = "ar", ncols: int = 4
) -> Figure:
    """Share of articles mentioning each top entity per period (colour = entity label)."""
    firsts = entity_freq.drop_duplicates("entity_id").sort_values("rank")
    order = list(firsts["entity_id"])
    labels = {r.entity_id: display_name(r.entity_name, r.entity_name_en, label_lang)
              for r in firsts.itertuples()}
    colors = {r.entity_id: LABEL_COLORS.get(r.label, "#666666") for r in firsts.itertuples()}
    freq = FREQ_NAMES.get(str(entity_freq.attrs.get("freq", "")), "period")
    return share_panels(entity_freq, "entity_id", order, labels, colors, ncols=ncols,
                        title=f"Top entities: share of articles mentioning them per {freq}")


def topic_heatmap(
    topic_freq: pd.DataFrame,
    topics: pd.DataFrame | None = None,
    label_lang: str = "ar",
    value: str = "share",
) -> Figure:
    """Topics x periods heatmap of ``value`` (share in %, or hits_per_1000_words).

    Grey cells: periods without articles.
    """
    apply_style()
    ids = list(dict.fromkeys(topic_freq["topic_id"]))
    order = _topic_order(topics, ids)
    labels = topic_labels(topics, order, label_lang)
    matrix = topic_freq.pivot(index="topic_id", columns="period", values=value).reindex(order)
    if value == "share":
        matrix = matrix * 100
    periods = list(matrix.columns)
    fig, ax = plt.subplots(figsize=(min(16, 2.5 + 0.32 * len(periods)), 1.2 + 0.42 * len(order)))
    cmap = plt.get_cmap("YlOrRd").with_extremes(bad="#e0e0e0")
    image = ax.imshow(np.ma.masked_invalid(matrix.to_numpy(dtype="float64")), cmap=cmap,
                      aspect="auto", vmin=0)
    ax.set_yticks(range(len(order)), [labels[t] for t in order])
    step = max(1, math.ceil(len(periods) / 16))
    ax.set_xticks(range(0, len(periods), step), [str(p) for p in periods[::step]], rotation=90)
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
    bar.set_label("% of articles" if value == "share" else value.replace("_", " "))
    ax.set_title("Topics per period" + (" (grey: no articles)" if value == "share" else ""),
                 loc="left")
    return fig


def learned_topics_figure(topics: pd.DataFrame, ncols: int = 4, top_terms: int = 8) -> Figure:
    """Top terms of each learned topic as horizontal bars (weight in the NMF topic)."""
    apply_style()
    n = max(len(topics), 1)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols, 0.28 * top_terms * nrows + 1.2
                                                    * nrows), squeeze=False)
    for ax in axes.flat[len(topics):]:
        ax.set_axis_off()
    for ax, row in zip(axes.flat, topics.itertuples(), strict=False):
        terms, weights = list(row.terms)[:top_terms], list(row.weights)[:top_terms]
        y = np.arange(len(terms))
        ax.barh(y, weights, color=PALETTE[int(row.topic) % len(PALETTE)], height=0.7)
        ax.set_yticks(y, terms, fontsize=9)
        ax.invert_yaxis()
        ax.set_title(f"Topic {int(row.topic) + 1}", fontsize=10, loc="left")
        ax.tick_params(axis="x", labelsize=7)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
    fig.suptitle("Learned topics (NMF on TF-IDF): top terms", x=0.01, ha="left",
                 fontweight="bold")
    fig.tight_layout()
    return fig


def _choose_events(events: pd.DataFrame, top_n: int) -> pd.DataFrame:
    summary = events if "n_sources" in events.columns else events_summary(events)
    if summary.empty:
        return summary
    summary = summary.assign(n_entities=summary["entity_ids"].str.count(";") + 1)
    chosen = summary.sort_values(["n_sources", "n_docs", "n_entities", "date", "entity_ids"],
                                 ascending=[False, False, False, True, True],
                                 kind="mergesort").head(top_n)
    return chosen.sort_values(["date", "entity_ids"], ignore_index=True)


def _event_label(row: pd.Series, label_lang: str, max_names: int = 3) -> str:
    text = row["entities"] if label_lang == "ar" else row["entities_en"]
    text = str(text) if isinstance(text, str) and text else str(row["entities"])
    separator = "، " if label_lang == "ar" else ", "
    names = text.split(separator)
    shown = separator.join(names[:max_names])
    if len(names) > max_names:
        # isolate "+N" (U+2066..U+2069) so the bidi algorithm keeps it as typed in Arabic lines
        shown += f" \u2066+{len(names) - max_names}\u2069"
    return shown


def event_timeline_figure(events: pd.DataFrame, top_n: int = 20, label_lang: str = "ar") -> Figure:
    """Dated events on a time axis, labelled with their entities, in lanes that never overlap.

    ``events`` is :func:`analysis.timeline.event_timeline` output (or its
    ``events_summary``); the ``top_n`` events reported by most outlets/articles
    are shown.  Each label sits in the lowest lane where it does not collide with
    another, joined to its date by a stem; the bracket gives articles/outlets.
    """
    apply_style()
    chosen = _choose_events(events, top_n)
    fig, ax = plt.subplots(figsize=(13, 6))
    if chosen.empty:
        ax.text(0.5, 0.5, "no dated events with entities", ha="center", va="center")
        ax.set_axis_off()
        return fig
    dates = pd.to_datetime(chosen["date"])
    span_days = max((dates.max() - dates.min()).days, 1)
    pad = pd.Timedelta(days=max(1, round(span_days * 0.04)))
    ax.set_xlim(dates.min() - pad, dates.max() + pad)
    ax.set_ylim(0, 1)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    to_days = ax.transData.inverted()

    x_max = ax.get_xlim()[1]
    texts, lanes, lane_of = [], [], []  # lanes: list of occupied (start, end) intervals
    for row in chosen.to_dict("records"):
        date = pd.Timestamp(row["date"])
        day = date.strftime("%d.%m.%Y") if row["granularity"] == "day" else date.strftime("%m.%Y")
        articles = "article" if row["n_docs"] == 1 else "articles"
        label = f"{_event_label(pd.Series(row), label_lang)}\n{day} · {row['n_docs']} {articles}"
        if row["n_sources"] > 1:
            label += f", {row['n_sources']} outlets"
        x0 = mdates.date2num(date)
        text = ax.text(x0, 0, label, fontsize=8.5, ha="left", va="bottom", linespacing=1.25,
                       zorder=4, bbox={"boxstyle": "square,pad=0.15", "facecolor": "white",
                                       "edgecolor": "none", "alpha": 0.92})
        box = text.get_window_extent(renderer)
        width = (to_days.transform((box.x1, 0))[0] - to_days.transform((box.x0, 0))[0]) * 1.1
        # labels that would run past the right edge end at their date instead
        interval = (x0, x0 + width) if x0 + width <= x_max else (x0 - width, x0)
        if interval[0] < x0:
            text.set_horizontalalignment("right")
        lane = next((i for i, used in enumerate(lanes)
                     if all(interval[1] < a or interval[0] > b for a, b in used)), len(lanes))
        if lane == len(lanes):
            lanes.append([])
        lanes[lane].append(interval)
        texts.append((text, x0, box.height))
        lane_of.append(lane)
    n_lanes = len(lanes)
    fig.set_figheight(max(3.5, 1.2 + 0.62 * n_lanes))
    ax.set_ylim(-0.6, n_lanes + 0.2)
    for (text, x0, _), lane in zip(texts, lane_of, strict=True):
        y = lane + 0.35
        text.set_position((x0, y))
        ax.plot([x0, x0], [0, y], color="#9e9e9e", linewidth=0.7, zorder=1)
        ax.plot([x0], [0], marker="o", color=PALETTE[0], markersize=6, zorder=3)
    ax.axhline(0, color="#444444", linewidth=1.0, zorder=2)
    ax.set_yticks([])
    ax.spines[["left", "right", "top"]].set_visible(False)
    _format_dates(ax)
    ax.set_title(f"Event timeline: the {len(chosen)} dated events reported most often "
                 "(entities of the sentence)", loc="left")
    return fig

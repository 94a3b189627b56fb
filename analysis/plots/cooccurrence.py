"""Figures for entity co-occurrence: network, clustered heatmap, ego network.

All functions take the frames of :mod:`analysis.cooccurrence` and return a
matplotlib Figure; names are plain strings (matplotlib >= 3.11 shapes Arabic).
Layouts use a fixed seed, and every selection is sorted, so the same data give
the same picture.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from analysis.cooccurrence import association_matrix, ego_network
from analysis.plots.label_layout import node_boxes, place_labels, wrap_label
from analysis.plots.style import LABEL_COLORS, apply_style, display_name

MEASURE_NAMES = {"npmi": "NPMI", "pmi": "PMI", "llr": "G²", "jaccard": "Jaccard",
                 "count": "co-occurrences", "docs": "documents"}
_HALO = [patheffects.withStroke(linewidth=3, foreground="white")]


def entity_table(cooc: pd.DataFrame, entities: pd.DataFrame | None = None) -> pd.DataFrame:
    """entity_id -> entity_name, entity_name_en, label, docs (from ``entities`` or ``cooc``)."""
    sides = []
    for side in ("a", "b"):
        part = cooc[[f"entity_{side}", f"name_{side}", f"name_en_{side}", f"label_{side}"]]
        part.columns = ["entity_id", "entity_name", "entity_name_en", "label"]
        sides.append(part)
    table = pd.concat(sides).drop_duplicates("entity_id").set_index("entity_id")
    table["docs"] = np.nan
    if entities is not None and len(entities):
        given = entities.set_index("entity_id")
        table = given.combine_first(table) if len(table) else given.copy()
    return table.sort_index()


def _label_of(table: pd.DataFrame, entity_id: str, label_lang: str) -> str:
    row = table.loc[entity_id]
    return display_name(row.get("entity_name"), row.get("entity_name_en"), label_lang) or entity_id


def _scale(values: np.ndarray, low: float, high: float) -> np.ndarray:
    values = np.asarray(values, dtype="float64")
    if len(values) == 0:
        return values
    span = np.nanmax(values) - np.nanmin(values)
    if not np.isfinite(span) or span == 0:
        return np.full(len(values), (low + high) / 2)
    return low + (values - np.nanmin(values)) / span * (high - low)


def _label_legend(ax: plt.Axes, labels: list[str]) -> None:
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9,
                      markerfacecolor=LABEL_COLORS.get(label, "#999999"),
                      markeredgecolor="white", label=label)
               for label in sorted(set(labels))]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), title="label")


def _draw_graph(
    ax: plt.Axes, graph: nx.Graph, positions: dict, table: pd.DataFrame, label_lang: str,
    node_sizes: dict, edge_widths: dict, edge_colors: dict | None = None,
    focus: str | None = None,
) -> tuple[list, list[float]]:
    """Draw edges, nodes and name labels; returns the labels (priority order) and node radii."""
    for a, b in sorted(graph.edges()):
        (xa, ya), (xb, yb) = positions[a], positions[b]
        color = (edge_colors or {}).get((a, b), "#7f7f7f")
        ax.plot([xa, xb], [ya, yb], color=color, linewidth=edge_widths[(a, b)],
                alpha=0.55, solid_capstyle="round", zorder=1)
    nodes = sorted(graph.nodes())
    ax.scatter([positions[n][0] for n in nodes], [positions[n][1] for n in nodes],
               s=[node_sizes[n] for n in nodes], zorder=2, edgecolors="white", linewidths=1.2,
               c=[LABEL_COLORS.get(table.loc[n, "label"], "#999999") for n in nodes])
    texts = []
    # biggest nodes (and the focus) first: they get the best label positions
    priority = sorted(nodes, key=lambda n: (n != focus, -node_sizes[n], n))
    for node in priority:
        style = {"fontsize": 9, "path_effects": _HALO}
        if node == focus:
            style = {"fontsize": 11, "fontweight": "bold",
                     "bbox": {"boxstyle": "round,pad=0.3", "facecolor": "white",
                              "edgecolor": "#bbbbbb", "alpha": 0.95}}
        text = ax.annotate(wrap_label(_label_of(table, node, label_lang)), positions[node],
                           xytext=(0, 0), textcoords="offset points", ha="center",
                           va="center", zorder=4 if node == focus else 3, **style)
        texts.append(text)
    ax.set_axis_off()
    return texts, [math.sqrt(node_sizes[n]) / 2 for n in priority]


def network_layout(graph: nx.Graph, seed: int = 42) -> dict:
    """Node positions: seeded spring layout refined by Kamada-Kawai (even spacing).

    Kamada-Kawai spreads dense clusters so labels have room; each connected
    component is laid out on its own and the components are tiled left to right.
    """
    components = sorted((sorted(c) for c in nx.connected_components(graph)),
                        key=lambda c: (-len(c), c[0]))
    positions: dict = {}
    x_offset = 0.0
    for component in components:
        sub = graph.subgraph(component)
        if len(component) == 1:
            local = {component[0]: np.array([0.0, 0.0])}
        else:
            start = nx.spring_layout(sub, seed=seed, weight="weight")
            local = nx.kamada_kawai_layout(sub, pos=start, weight=None)
        coords = np.array([local[n] for n in component], dtype="float64")
        coords -= coords.mean(axis=0)
        scale = math.sqrt(len(component))
        spread = np.abs(coords).max() or 1.0
        coords = coords / spread * scale
        width = coords[:, 0].max() - coords[:, 0].min() if len(component) > 1 else 0.0
        coords[:, 0] += x_offset - coords[:, 0].min()
        x_offset += width + 1.0
        positions |= {n: tuple(c) for n, c in zip(component, coords, strict=True)}
    return positions


def network_figure(
    cooc: pd.DataFrame,
    entities: pd.DataFrame | None = None,
    measure: str = "npmi",
    top_n: int = 30,
    label_lang: str = "ar",
    seed: int = 42,
    max_edges: int | None = None,
    title: str | None = None,
) -> Figure:
    """Co-occurrence network of the ``top_n`` entities.

    Nodes: entities (size = documents, colour = label); edges: pairs with a positive
    ``measure`` (width = measure), at most ``max_edges`` (default 3 x nodes) of the
    strongest.  ``entities`` is :func:`analysis.cooccurrence.top_entities` output
    (ranked); without it entities are ranked by their pair counts.  Spring layout
    with a fixed ``seed``.
    """
    apply_style()
    table = entity_table(cooc, entities)
    if entities is not None and len(entities):
        ranked = list(entities["entity_id"])
    else:
        weight = pd.concat([cooc.groupby("entity_a")["count"].sum(),
                            cooc.groupby("entity_b")["count"].sum()]).groupby(level=0).sum()
        ranked = list(weight.sort_index().sort_values(ascending=False, kind="mergesort").index)
    chosen = set(ranked[:top_n])
    edges = cooc.loc[cooc["entity_a"].isin(chosen) & cooc["entity_b"].isin(chosen)]
    edges = edges.loc[edges[measure] > 0]
    edges = edges.sort_values([measure, "count", "entity_a", "entity_b"],
                              ascending=[False, False, True, True], kind="mergesort")
    edges = edges.head(max_edges if max_edges is not None else 3 * len(chosen))
    graph = nx.Graph()
    graph.add_nodes_from(sorted(chosen))
    for a, b, value in edges[["entity_a", "entity_b", measure]].itertuples(index=False):
        graph.add_edge(a, b, weight=float(value))
    graph.remove_nodes_from([n for n in sorted(graph.nodes()) if graph.degree(n) == 0])

    fig, ax = plt.subplots(figsize=(11, 8.5))
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no co-occurring pairs", ha="center", va="center")
        ax.set_axis_off()
        return fig
    positions = network_layout(graph, seed)
    docs = table["docs"].reindex(sorted(graph.nodes()))
    if docs.isna().all():
        docs = pd.Series(1.0, index=docs.index)
    sizes = dict(zip(docs.index, _scale(np.sqrt(docs.fillna(docs.min()).to_numpy()), 150, 1600),
                     strict=True))
    values = {(a, b): d["weight"] for a, b, d in graph.edges(data=True)}
    keys = sorted(values)
    widths = dict(zip(keys, _scale(np.array([values[k] for k in keys]), 0.8, 7.0), strict=True))
    widths |= {(b, a): w for (a, b), w in widths.items()}
    texts, radii = _draw_graph(ax, graph, positions, table, label_lang, sizes, widths)
    xs, ys = zip(*positions.values(), strict=True)
    pad = 0.06 * max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    ax.set_ylim(min(ys) - 1.6 * pad, max(ys) + pad)
    ax.set_aspect("equal")
    place_labels(ax, texts, radii, node_boxes(ax, positions, sizes))
    _label_legend(ax, [table.loc[n, "label"] for n in graph.nodes()])
    window = str(cooc["window"].iloc[0]) if len(cooc) else ""
    ax.set_title(title or f"Entity co-occurrence ({window} window)", loc="left")
    ax.text(0.0, -0.02, f"node size: documents · edge width: {MEASURE_NAMES.get(measure, measure)}"
            f" · {graph.number_of_nodes()} entities, {graph.number_of_edges()} pairs",
            transform=ax.transAxes, fontsize=8, color="#555555", va="top")
    return fig


def _fill_value(measure: str) -> float:
    # never together: NPMI's limit is -1; PMI has none, so use the matrix minimum later
    return -1.0 if measure == "npmi" else 0.0


def cluster_order(matrix: pd.DataFrame, measure: str = "npmi") -> list[str]:
    """Entities ordered by average-linkage clustering of their association profiles."""
    if len(matrix) <= 2:
        return list(matrix.index)
    filled = matrix.copy()
    if measure == "pmi":
        filled = filled.fillna(np.nanmin(filled.to_numpy()) if filled.notna().any().any() else 0)
    filled = filled.fillna(_fill_value(measure)).to_numpy(dtype="float64", copy=True)
    top = np.nanmax(filled) if np.isfinite(filled).any() else 1.0
    np.fill_diagonal(filled, top)
    distance = top - filled
    distance = (distance + distance.T) / 2
    np.fill_diagonal(distance, 0.0)
    linkage = hierarchy.linkage(squareform(distance, checks=False), method="average",
                                optimal_ordering=True)
    return [matrix.index[i] for i in hierarchy.leaves_list(linkage)]


def heatmap_figure(
    cooc: pd.DataFrame,
    entities: pd.DataFrame | None = None,
    top_n: int = 20,
    measure: str = "npmi",
    label_lang: str = "ar",
    title: str | None = None,
) -> Figure:
    """Clustered heatmap of ``measure`` among the ``top_n`` entities, cells annotated with counts.

    Order: hierarchical clustering (average linkage) of the association matrix, so
    entities that keep the same company sit together.  Grey = never together.
    """
    apply_style()
    table = entity_table(cooc, entities)
    if entities is not None and len(entities):
        ids = list(entities["entity_id"])[:top_n]
    else:
        ids = list(table.index)[:top_n]
    ids = sorted(set(ids))
    values = association_matrix(cooc, ids, measure)
    order = cluster_order(values, measure)
    values = values.loc[order, order]
    counts = association_matrix(cooc, order, "count")
    size = max(5.0, 0.42 * len(order) + 2.5)
    fig, ax = plt.subplots(figsize=(size + 1.8, size))
    if measure == "npmi":
        cmap, vmin, vmax = plt.get_cmap("RdBu_r"), -1.0, 1.0
    else:
        cmap, vmin, vmax = plt.get_cmap("viridis"), None, None
    cmap = cmap.with_extremes(bad="#eeeeee")
    image = ax.imshow(np.ma.masked_invalid(values.to_numpy(dtype="float64")), cmap=cmap,
                      vmin=vmin, vmax=vmax, aspect="equal")
    names = [wrap_label(_label_of(table, e, label_lang), 26) for e in order]
    for i in range(len(order)):
        ax.add_patch(plt.Rectangle((i - 0.5, i - 0.5), 1, 1, facecolor="white",
                                   edgecolor="none", zorder=2))
    ax.set_xticks(range(len(order)), [n.replace("\n", " ") for n in names], rotation=90)
    ax.set_yticks(range(len(order)), names)
    for tick, entity in zip(ax.get_yticklabels(), order, strict=True):
        tick.set_color(LABEL_COLORS.get(table.loc[entity, "label"], "#333333"))
    for tick, entity in zip(ax.get_xticklabels(), order, strict=True):
        tick.set_color(LABEL_COLORS.get(table.loc[entity, "label"], "#333333"))
    font = 8 if len(order) <= 20 else 6
    for i in range(len(order)):
        for j in range(len(order)):
            count = counts.iat[i, j]
            if i != j and pd.notna(count):
                shade = values.iat[i, j]
                dark = measure == "npmi" and abs(shade) > 0.6
                ax.text(j, i, f"{int(count)}", ha="center", va="center", fontsize=font,
                        color="white" if dark else "#222222")
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(MEASURE_NAMES.get(measure, measure))
    window = str(cooc["window"].iloc[0]) if len(cooc) else ""
    ax.set_title(title or f"Association ({MEASURE_NAMES.get(measure, measure)}, {window} window);"
                 " numbers = co-occurrences", loc="left", fontsize=11)
    return fig


def ego_figure(
    cooc: pd.DataFrame,
    focus_id: str,
    entities: pd.DataFrame | None = None,
    top_n: int = 15,
    measure: str = "npmi",
    label_lang: str = "ar",
    title: str | None = None,
) -> Figure:
    """Ego network: ``focus_id`` in the centre, its ``top_n`` partners on a circle.

    Partners are ordered clockwise by ``measure`` (strongest at the top); spoke width
    = measure, spoke label = co-occurrence count; thin grey chords join partners
    that also co-occur.
    """
    apply_style()
    table = entity_table(cooc, entities)
    ego = ego_network(cooc, focus_id, top_n=top_n, measure=measure)
    fig, ax = plt.subplots(figsize=(10, 9))
    if ego.empty:
        name = _label_of(table, focus_id, label_lang) if focus_id in table.index else focus_id
        ax.text(0.5, 0.5, f"{name}: no co-occurring entities", ha="center", va="center")
        ax.set_axis_off()
        return fig
    spokes = ego.loc[ego["is_focus_edge"]]
    partners = [b if a == focus_id else a for a, b in spokes[["entity_a", "entity_b"]].to_numpy()]
    angles = np.pi / 2 - 2 * np.pi * np.arange(len(partners)) / len(partners)
    positions = {focus_id: (0.0, 0.0)}
    positions |= {p: (math.cos(t), math.sin(t)) for p, t in zip(partners, angles, strict=True)}
    graph = nx.Graph()
    graph.add_nodes_from(positions)
    widths, colors = {}, {}
    spoke_widths = _scale(spokes[measure].to_numpy(), 1.0, 7.0)
    for (a, b), width in zip(spokes[["entity_a", "entity_b"]].to_numpy(), spoke_widths,
                             strict=True):
        graph.add_edge(a, b)
        widths[(a, b)] = widths[(b, a)] = width
        colors[(a, b)] = colors[(b, a)] = "#555555"
    for a, b in ego.loc[~ego["is_focus_edge"], ["entity_a", "entity_b"]].to_numpy():
        graph.add_edge(a, b)
        widths[(a, b)] = widths[(b, a)] = 0.6
        colors[(a, b)] = colors[(b, a)] = "#cccccc"
    docs = table["docs"].reindex(list(positions))
    if docs.isna().all():
        docs = pd.Series(1.0, index=docs.index)
    sizes = dict(zip(docs.index, _scale(np.sqrt(docs.fillna(docs.min()).to_numpy()), 200, 1400),
                     strict=True))
    sizes[focus_id] = max(sizes.values()) * 1.3
    texts, radii = _draw_graph(ax, graph, positions, table, label_lang, sizes, widths, colors,
                               focus=focus_id)
    for count, partner in zip(spokes["count"].to_numpy(), partners, strict=True):
        x, y = positions[partner]
        ax.text(0.55 * x, 0.55 * y, str(int(count)), fontsize=8, color="#333333",
                ha="center", va="center", path_effects=_HALO, zorder=3)
    ax.set_xlim(-1.35, 1.35)
    ax.set_ylim(-1.35, 1.3)
    ax.set_aspect("equal")
    place_labels(ax, texts, radii, node_boxes(ax, positions, sizes))
    _label_legend(ax, [table.loc[n, "label"] for n in graph.nodes()])
    # Latin words first, so the line is laid out left-to-right around the Arabic name
    ax.set_title(title or f"Strongest partners of {_label_of(table, focus_id, label_lang)}",
                 loc="left")
    ax.text(0.0, -0.01, f"spoke width: {MEASURE_NAMES.get(measure, measure)} · numbers: "
            "co-occurrences · grey chords: partners seen together",
            transform=ax.transAxes, fontsize=8, color="#555555", va="top")
    return fig

"""Placing text labels so they stay readable: wrapping and overlap removal.

Used by the network figures; everything works in display (pixel) space and is
deterministic (fixed order and candidate positions, no randomness).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np


def wrap_label(text: str, width: int = 22) -> str:
    """Break a long name once, at the space nearest its middle (two balanced lines)."""
    if len(text) <= width or " " not in text:
        return text
    middle = len(text) / 2
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: (abs(i - middle), i))
    return text[:cut] + "\n" + text[cut + 1:]


def _overlap_area(box: np.ndarray, others: np.ndarray) -> float:
    """Total area by which ``box`` overlaps the boxes in ``others`` (x0, y0, x1, y1 rows)."""
    if len(others) == 0:
        return 0.0
    dx = np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0])
    dy = np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1])
    return float(np.sum(np.clip(dx, 0, None) * np.clip(dy, 0, None)))


_DIRECTIONS = [(0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1)]
_EXTRA_DISTANCES = [0, 6, 12, 20, 30, 42, 56, 72, 90]


def place_labels(
    ax: plt.Axes, texts: list, radii_pt: list[float], obstacles: np.ndarray | None = None
) -> None:
    """Put each node label where it overlaps no other label and no node (greedy, deterministic).

    ``texts`` are annotations anchored at their node (``xy``) with ha/va "center",
    in priority order (biggest nodes first); ``radii_pt`` the node radii in points.
    Each label tries positions around its node (below, above, right, left,
    diagonals), then the same directions further out, and takes the first free
    one inside the axes (or, failing that, the least-overlapping).  A label placed
    away from its node gets a thin leader line.
    """
    if not texts:
        return
    ax.apply_aspect()
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    px_per_pt = fig.dpi / 72.0
    frame = ax.get_window_extent(renderer)
    placed = np.zeros((0, 4))
    obstacles = np.zeros((0, 4)) if obstacles is None else np.asarray(obstacles, dtype="float64")
    for text, radius_pt in zip(texts, radii_pt, strict=True):
        extent = text.get_window_extent(renderer)
        half_w, half_h = extent.width / 2 + 2, extent.height / 2 + 1
        cx, cy = ax.transData.transform(text.xy)
        gap = radius_pt * px_per_pt + 3
        best, best_cost = None, math.inf
        for extra in _EXTRA_DISTANCES:
            for ux, uy in _DIRECTIONS:
                bx = cx + ux * (gap + half_w + extra)
                by = cy + uy * (gap + half_h + extra)
                box = np.array([bx - half_w, by - half_h, bx + half_w, by + half_h])
                outside = (max(frame.x0 - box[0], 0) + max(box[2] - frame.x1, 0)
                           + max(frame.y0 - box[1], 0) + max(box[3] - frame.y1, 0))
                cost = (_overlap_area(box, placed) + _overlap_area(box, obstacles)
                        + outside * 1000)
                if cost < best_cost:
                    best, best_cost = (bx, by, extra), cost
                if cost == 0:
                    break
            if best_cost == 0:
                break
        bx, by, extra = best
        text.xyann = ((bx - cx) / px_per_pt, (by - cy) / px_per_pt)
        placed = np.vstack([placed, [bx - half_w, by - half_h, bx + half_w, by + half_h]])
        if extra >= 20:
            ex, ey = ax.transData.inverted().transform((bx, by))
            ax.plot([text.xy[0], ex], [text.xy[1], ey], color="#999999", linewidth=0.5,
                    zorder=2.5)


def node_boxes(ax: plt.Axes, positions: dict, sizes: dict) -> np.ndarray:
    """Display-space boxes (x0, y0, x1, y1) of round node markers of ``sizes`` (points²)."""
    ax.apply_aspect()
    boxes = []
    for node in sorted(positions):
        x, y = ax.transData.transform(positions[node])
        radius = math.sqrt(sizes[node]) / 2 * ax.figure.dpi / 72.0
        boxes.append([x - radius, y - radius, x + radius, y + radius])
    return np.array(boxes, dtype="float64").reshape(-1, 4)

"""Entity co-occurrence: pair counts and association measures over text windows.

A *window* is the unit inside which two entities count as appearing together:

* ``sentence``  -> one window per ``(doc_id, sent_id)``
* ``paragraph`` -> one window per ``(doc_id, para_id)``
* ``document``  -> one window per ``doc_id``

Everything is computed from a binary windows x entities incidence matrix ``X``
(``X[w, e] = 1`` when entity ``e`` is mentioned at least once in window ``w``):
``C = X.T @ X`` holds the pair counts off the diagonal and the per-entity window
counts on it.  The cost therefore grows with the number of mentions (non-zeros
of ``X``) and of co-occurring pairs, never with documents x entities².

Association measures (``N`` = number of windows in the corpus, ``n_ab`` = windows
with both, ``n_a``/``n_b`` = windows with each):

* ``pmi  = log2( (n_ab / N) / ((n_a / N) * (n_b / N)) ) = log2(n_ab * N / (n_a * n_b))``
* ``npmi = pmi / -log2(n_ab / N)``, in [-1, 1]; defined as 1 when ``n_ab == N``
  (both entities in every window, the log in the denominator is 0).
* ``llr`` = Dunning's G² = ``2 * sum O_ij * ln(O_ij / E_ij)`` over the 2x2 table of
  windows (both / a only / b only / neither), ``E_ij = row_i * col_j / N`` and
  ``0 * ln 0 = 0``.  Unsigned: read the direction from ``pmi``.
* ``jaccard = n_ab / (n_a + n_b - n_ab)``.

``N`` counts *all* windows of the corpus, including those without any entity:
taking only windows with mentions would inflate p(a), p(b) and bias PMI
downwards for every pair.  Pass the ``sentences`` table (its rows enumerate the
sentence/paragraph/document windows) or an explicit ``n_windows``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import sparse

WINDOWS: dict[str, tuple[str, ...]] = {
    "sentence": ("doc_id", "sent_id"),
    "paragraph": ("doc_id", "para_id"),
    "document": ("doc_id",),
}

COOC_COLUMNS: list[str] = [
    "entity_a", "entity_b", "window", "count", "docs", "count_a", "count_b", "n_windows",
    "pmi", "npmi", "llr", "jaccard", "name_a", "name_b", "label_a", "label_b",
    "name_en_a", "name_en_b",
]


def _window_keys(window: str) -> tuple[str, ...]:
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {sorted(WINDOWS)}, got {window!r}")
    return WINDOWS[window]


def entity_attributes(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per entity_id: its most frequent ``entity_name``, ``entity_name_en``, ``label``.

    Ties are broken alphabetically so the result is deterministic.  A missing
    ``entity_name_en`` column (or value) gives null Latin names.
    """
    columns = ["entity_id", "entity_name", "entity_name_en", "label"]
    rows = mentions.loc[mentions["entity_id"].notna()].copy()
    if "entity_name_en" not in rows.columns:
        rows["entity_name_en"] = pd.Series([None] * len(rows), index=rows.index, dtype="str")
    if rows.empty:
        return pd.DataFrame({column: [] for column in columns}, dtype="str")

    def most_common(column: str) -> pd.Series:
        counts = rows.groupby(["entity_id", column], sort=True).size().rename("n").reset_index()
        counts = counts.sort_values(["entity_id", "n", column], ascending=[True, False, True])
        return counts.drop_duplicates("entity_id").set_index("entity_id")[column]

    ids = pd.Index(sorted(rows["entity_id"].astype("str").unique()), name="entity_id")
    out = pd.DataFrame({column: most_common(column) for column in columns[1:]}).reindex(ids)
    return out.reset_index()[columns]


def _empty_result() -> pd.DataFrame:
    integers = {"count", "docs", "count_a", "count_b", "n_windows"}
    floats = {"pmi", "npmi", "llr", "jaccard"}
    return pd.DataFrame({
        column: pd.Series([], dtype="int64" if column in integers
                          else "float64" if column in floats else "str")
        for column in COOC_COLUMNS
    })


def count_windows(sentences: pd.DataFrame, window: str) -> int:
    """Number of distinct windows of the given kind in a sentences table."""
    keys = list(_window_keys(window))
    return int(len(sentences[keys].drop_duplicates()))


def _xlogx_ratio(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``O * ln(O / E)`` with the convention ``0 * ln 0 = 0``."""
    out = np.zeros_like(observed, dtype="float64")
    positive = observed > 0
    out[positive] = observed[positive] * np.log(observed[positive] / expected[positive])
    return out


def association_measures(
    n_ab: np.ndarray, n_a: np.ndarray, n_b: np.ndarray, n_windows: int
) -> dict[str, np.ndarray]:
    """PMI, NPMI, G² and Jaccard from window counts (formulas in the module docstring)."""
    n_ab = np.asarray(n_ab, dtype="float64")
    n_a = np.asarray(n_a, dtype="float64")
    n_b = np.asarray(n_b, dtype="float64")
    total = float(n_windows)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log2(n_ab * total / (n_a * n_b))
        neg_log_pab = -np.log2(n_ab / total)
        npmi = np.where(neg_log_pab > 0, pmi / np.where(neg_log_pab > 0, neg_log_pab, 1.0), 1.0)
        observed = [n_ab, n_a - n_ab, n_b - n_ab, total - n_a - n_b + n_ab]
        rows = [n_a, n_a, total - n_a, total - n_a]
        cols = [n_b, total - n_b, n_b, total - n_b]
        g2 = np.zeros_like(n_ab)
        for o, r, c in zip(observed, rows, cols, strict=True):
            g2 += _xlogx_ratio(o, r * c / total)
    llr = np.maximum(2.0 * g2, 0.0)  # clip -1e-13 rounding noise
    jaccard = n_ab / (n_a + n_b - n_ab)
    return {"pmi": pmi, "npmi": npmi, "llr": llr, "jaccard": jaccard}


def cooccurrence_counts(
    mentions: pd.DataFrame,
    window: str = "sentence",
    min_count: int = 1,
    entities: Iterable[str] | None = None,
    sentences: pd.DataFrame | None = None,
    n_windows: int | None = None,
) -> pd.DataFrame:
    """Pairs of entities co-occurring in the same window, with association measures.

    ``mentions`` needs doc_id, para_id, sent_id, entity_id, entity_name, label
    (rows without entity_id are ignored).  ``entities`` optionally restricts the
    pairs to these entity ids (marginal counts are unaffected).  The number of
    windows ``N`` comes from ``n_windows`` if given, else from ``sentences``
    (all windows of the corpus, union the windows seen in ``mentions``); one of
    the two is required because PMI needs windows *without* the entities too.

    Returns one row per pair ``entity_a < entity_b`` with ``count >= min_count``,
    columns ``COOC_COLUMNS``, sorted by count desc, npmi desc, entity_a, entity_b.
    """
    keys = list(_window_keys(window))
    if n_windows is None and sentences is None:
        raise ValueError("pass `sentences` or `n_windows`: PMI needs the number of all windows")
    used = mentions.loc[mentions["entity_id"].notna()]
    if entities is not None:
        used = used.loc[used["entity_id"].isin(list(entities))]

    window_table = used[keys].drop_duplicates()
    if n_windows is None:
        all_windows = pd.concat([sentences[keys], window_table]).drop_duplicates()
        n_windows = len(all_windows)
    elif n_windows < len(window_table):
        raise ValueError(f"n_windows={n_windows} < {len(window_table)} windows with mentions")
    if used.empty:
        return _empty_result()

    # Factorize windows (sorted so the matrix is reproducible) and entities (sorted ids,
    # so index order == id order and the upper triangle gives entity_a < entity_b).
    window_index = used.groupby(keys, sort=True).ngroup().to_numpy()
    entity_index, entity_uniques = pd.factorize(used["entity_id"].astype("str"), sort=True)
    entity_ids = np.asarray(entity_uniques, dtype=object)
    n_win, n_ent = int(window_index.max()) + 1, len(entity_ids)
    incidence = sparse.csr_matrix(
        (np.ones(len(used), dtype="int64"), (window_index, entity_index)), shape=(n_win, n_ent)
    )
    incidence.data[:] = 1  # duplicates were summed: presence only
    cooc = (incidence.T @ incidence).tocsr()
    count_per_entity = cooc.diagonal()
    upper = sparse.triu(cooc, k=1).tocoo()
    keep = upper.data >= min_count
    row_a, row_b, count = upper.row[keep], upper.col[keep], upper.data[keep]
    if len(count) == 0:
        return _empty_result()

    if window == "document":
        docs = count.copy()
    else:
        docs = _distinct_documents(used, window_index, entity_index, n_ent, row_a, row_b)

    n_a, n_b = count_per_entity[row_a], count_per_entity[row_b]
    measures = association_measures(count, n_a, n_b, n_windows)
    # Index order equals id order, so sorting by indices == sorting by ids (fast, exact).
    order = np.lexsort((row_b, row_a, -measures["npmi"], -count))
    row_a, row_b = row_a[order], row_b[order]
    attributes = entity_attributes(used).set_index("entity_id").reindex(entity_ids)
    columns: dict[str, object] = {
        "entity_a": entity_ids[row_a], "entity_b": entity_ids[row_b], "window": window,
        "count": count[order].astype("int64"), "docs": docs[order].astype("int64"),
        "count_a": n_a[order].astype("int64"), "count_b": n_b[order].astype("int64"),
        "n_windows": np.full(len(count), n_windows, dtype="int64"),
        **{name: values[order] for name, values in measures.items()},
    }
    for side, rows in (("a", row_a), ("b", row_b)):
        columns[f"name_{side}"] = attributes["entity_name"].to_numpy(dtype=object)[rows]
        columns[f"label_{side}"] = attributes["label"].to_numpy(dtype=object)[rows]
        columns[f"name_en_{side}"] = attributes["entity_name_en"].to_numpy(dtype=object)[rows]
    result = pd.DataFrame(columns)
    for column in ("entity_a", "entity_b", "window", "name_a", "name_b", "label_a", "label_b",
                   "name_en_a", "name_en_b"):
        result[column] = result[column].astype("str")
    return result[COOC_COLUMNS]


def _distinct_documents(
    used: pd.DataFrame,
    window_index: np.ndarray,
    entity_index: np.ndarray,
    n_ent: int,
    row_a: np.ndarray,
    row_b: np.ndarray,
) -> np.ndarray:
    """Distinct documents in which each pair (row_a[i], row_b[i]) shares a window.

    Sparse and linear in the mentions: ``K = Xde.T @ X`` where ``Xde`` is the
    windows x (document, entity) incidence, so ``K[(d, a), b]`` = windows of
    document d containing a and b.  Binarising K and summing its rows per entity
    gives, for each pair, the number of documents where the pair co-occurs.
    """
    doc_index = pd.factorize(used["doc_id"], sort=True)[0]
    doc_entity = doc_index.astype("int64") * n_ent + entity_index
    de_ids, de_index = np.unique(doc_entity, return_inverse=True)
    n_win = int(window_index.max()) + 1
    ones = np.ones(len(used), dtype="int64")
    x_de = sparse.csr_matrix((ones, (window_index, de_index)), shape=(n_win, len(de_ids)))
    x_e = sparse.csr_matrix((ones, (window_index, entity_index)), shape=(n_win, n_ent))
    x_de.data[:] = 1
    x_e.data[:] = 1
    per_doc = (x_de.T @ x_e).tocsr()
    per_doc.data[:] = 1
    to_entity = sparse.csr_matrix(
        (np.ones(len(de_ids), dtype="int64"), (de_ids % n_ent, np.arange(len(de_ids)))),
        shape=(n_ent, len(de_ids)),
    )
    docs_matrix = (to_entity @ per_doc).tocsr()
    return np.asarray(docs_matrix[row_a, row_b]).ravel()


def top_entities(
    mentions: pd.DataFrame, top_n: int | None = 30, by: str = "docs"
) -> pd.DataFrame:
    """Most frequent entities: entity_id, entity_name, entity_name_en, label, docs, mentions.

    ``by`` is ``docs`` (distinct documents) or ``mentions`` (all mentions); ties
    are broken by the other count, then entity_id.
    """
    if by not in ("docs", "mentions"):
        raise ValueError(f"by must be 'docs' or 'mentions', got {by!r}")
    used = mentions.loc[mentions["entity_id"].notna()]
    grouped = used.groupby("entity_id", sort=True)
    counts = pd.DataFrame({"docs": grouped["doc_id"].nunique(), "mentions": grouped.size()})
    counts = counts.reset_index().merge(entity_attributes(used), on="entity_id", how="left")
    other = "mentions" if by == "docs" else "docs"
    counts = counts.sort_values([by, other, "entity_id"], ascending=[False, False, True],
                                ignore_index=True)
    if top_n is not None:
        counts = counts.head(top_n)
    columns = ["entity_id", "entity_name", "entity_name_en", "label", "docs", "mentions"]
    return counts[columns].reset_index(drop=True)


def ego_network(
    cooc: pd.DataFrame, focus_id: str, top_n: int = 15, measure: str = "npmi"
) -> pd.DataFrame:
    """The ``top_n`` strongest partners of ``focus_id`` and the edges among them.

    Partners are ranked by ``measure`` (desc), then count (desc), then id.  Rows
    are the cooc rows between focus and partners (``is_focus_edge`` True) and
    between two partners (False).
    """
    touches = (cooc["entity_a"] == focus_id) | (cooc["entity_b"] == focus_id)
    focus_edges = cooc.loc[touches].copy()
    focus_edges["partner"] = np.where(
        focus_edges["entity_a"] == focus_id, focus_edges["entity_b"], focus_edges["entity_a"]
    )
    focus_edges = focus_edges.sort_values(
        [measure, "count", "partner"], ascending=[False, False, True], kind="mergesort"
    ).head(top_n)
    partners = set(focus_edges["partner"])
    among = cooc.loc[cooc["entity_a"].isin(partners) & cooc["entity_b"].isin(partners)].copy()
    focus_edges["is_focus_edge"] = True
    among["is_focus_edge"] = False
    out = pd.concat([focus_edges.drop(columns="partner"), among], ignore_index=True)
    return out.reset_index(drop=True)


def association_matrix(
    cooc: pd.DataFrame, entity_ids: list[str], measure: str = "npmi"
) -> pd.DataFrame:
    """Square symmetric entities x entities matrix of ``measure`` (NaN where never together)."""
    matrix = pd.DataFrame(np.nan, index=entity_ids, columns=entity_ids, dtype="float64")
    wanted = set(entity_ids)
    subset = cooc.loc[cooc["entity_a"].isin(wanted) & cooc["entity_b"].isin(wanted)]
    for a, b, value in subset[["entity_a", "entity_b", measure]].itertuples(index=False):
        matrix.loc[a, b] = value
        matrix.loc[b, a] = value
    return matrix

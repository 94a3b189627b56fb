"""Passages shared between documents (press-release copy, wire copy, duplicates).

Method (all on normalised tokens from `arabic.word_spans`, offsets stay original):

1. Shingles: every run of `ngram` consecutive tokens, hashed to 64 bits (each
   token by blake2b, combined by a polynomial; stable across runs/machines).
2. Document frequency (df) of each shingle. Shingles in more than
   ``max(max_df, max_df_share * n_docs)`` documents are *too common*.
3. Formulaic shingles (the formulaic-reuse rule). In each document, maximal
   runs of consecutive shingles that each occur in at least
   ``max(boiler_min_docs, boiler_min_share * n_docs)`` documents are
   "recurring segments". A recurring segment shorter than `formula_max_tokens`
   tokens is a *formula*: a name with its official title, a dateline, an
   outlet's sign-off - short phrases that recur around unrelated text. A
   copied press release makes a long segment instead, so it is not a formula.
   Too-common shingles are always formulaic.
4. Candidate pairs: documents sharing at least `min_shared` distinct shingles
   that are neither formulaic nor too common (sparse doc x shingle product).
5. Alignment of each candidate pair: runs of consecutive matching shingles on
   one diagonal of (pos_a, pos_b) are chained into a passage when the tokens
   between two runs differ in at most `max_gap` positions (a near-copy with a
   few words changed stays one passage). A passage is kept when it spans at
   least `reuse_min_tokens` tokens *not counting tokens matched only by
   formulaic shingles*, and formulaic tokens are at most `max_boilerplate_share`
   of it. So two articles that share only "the director general ... Name" and
   a dateline are not a reuse pair, while a press release that contains the
   same formula still is.
"""

from __future__ import annotations

import hashlib
import math
import os
from array import array
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from analysis.arabic import word_spans

REUSE_COLUMNS = ["doc_a", "doc_b", "source_a", "source_b", "passage", "start_a", "end_a",
                 "start_b", "end_b", "n_tokens", "share_a", "share_b", "first"]
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant for the polynomial hash
_PARALLEL_MIN_DOCS = 2000
_MAX_REPEATS = 20  # a shingle repeated more often inside one document is not aligned


class _TokenHashes(dict):
    """Memo of token -> 64-bit blake2b hash (stable across runs, unlike `hash`)."""

    def __missing__(self, token: str) -> int:
        digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
        value = self[token] = int.from_bytes(digest, "little")
        return value


def _token_hashes(texts: list[str]) -> tuple[np.ndarray, ...]:
    """Token hashes, start and end offsets (concatenated) and the token count of each text."""
    cache = _TokenHashes()
    values, starts, ends = array("Q"), array("q"), array("q")  # compact, unlike lists
    lengths = np.zeros(len(texts), dtype=np.int64)
    for index, text in enumerate(texts):
        spans = word_spans(text) if isinstance(text, str) else []
        if spans:
            begin, end, norms = zip(*spans, strict=True)
            values.extend(map(cache.__getitem__, norms))
            starts.extend(begin)
            ends.extend(end)
        lengths[index] = len(spans)
    return (np.frombuffer(values, dtype=np.uint64).copy(),
            np.frombuffer(starts, dtype=np.int64).copy(),
            np.frombuffer(ends, dtype=np.int64).copy(), lengths)


def tokenize_corpus(texts: list[str], n_jobs: int = 1) -> tuple[np.ndarray, ...]:
    """Token hashes, start/end offsets (concatenated) and token counts of all texts.

    Runs in `n_jobs` processes for big corpora; the result does not depend on it.
    """
    if n_jobs <= 1 or len(texts) < _PARALLEL_MIN_DOCS:
        return _token_hashes(texts)
    size = math.ceil(len(texts) / (4 * n_jobs))
    chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
    with ProcessPoolExecutor(max_workers=n_jobs) as pool:
        parts = list(pool.map(_token_hashes, chunks))
    return tuple(np.concatenate([part[k] for part in parts]) for k in range(4))


def shingle_hashes(tokens: np.ndarray, lengths: np.ndarray, ngram: int) -> tuple[np.ndarray, ...]:
    """Hashes of all `ngram`-token windows that stay inside one document.

    Returns (hashes, doc index, position in the doc) of every shingle, in
    document then position order.
    """
    doc_of_token = np.repeat(np.arange(len(lengths)), lengths)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    windows = max(len(tokens) - ngram + 1, 0)
    hashes = tokens[:windows].copy()
    for offset in range(1, ngram):
        hashes = hashes * _MULTIPLIER + tokens[offset:offset + windows]
    position = np.arange(windows) - starts[doc_of_token[:windows]]
    inside = position + ngram <= lengths[doc_of_token[:windows]]
    return hashes[inside], doc_of_token[:windows][inside], position[inside]


def _document_frequency(hashes: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per shingle occurrence: its group id (distinct hash) and df (number of documents)."""
    order = np.argsort(hashes, kind="stable")
    sorted_hashes, sorted_docs = hashes[order], docs[order]
    new_hash = np.ones(len(order), dtype=bool)
    new_hash[1:] = sorted_hashes[1:] != sorted_hashes[:-1]
    new_doc = new_hash.copy()
    new_doc[1:] |= sorted_docs[1:] != sorted_docs[:-1]
    group_sorted = np.cumsum(new_hash) - 1
    df_of_group = np.bincount(group_sorted, weights=new_doc).astype(np.int64)
    group = np.empty(len(order), dtype=np.int64)
    group[order] = group_sorted
    return group, df_of_group[group]


def _formula_mask(df: np.ndarray, docs: np.ndarray, ngram: int, common_df: int,
                  too_common_df: int, formula_max_tokens: int) -> np.ndarray:
    """Occurrences that are formulaic: too common, or in a short recurring segment."""
    common = df >= common_df
    if len(df) == 0:
        return common
    breaks = np.ones(len(df), dtype=bool)
    breaks[1:] = (docs[1:] != docs[:-1]) | (common[1:] != common[:-1])
    segment = np.cumsum(breaks) - 1
    segment_tokens = np.bincount(segment) + ngram - 1
    return (df > too_common_df) | (common & (segment_tokens[segment] < formula_max_tokens))


def _gap_mismatches(tokens_a: np.ndarray, tokens_b: np.ndarray) -> int:
    """Differing positions between two short gap regions, compared from the left."""
    overlap = min(len(tokens_a), len(tokens_b))
    same = int(np.sum(tokens_a[:overlap] == tokens_b[:overlap]))
    return max(len(tokens_a), len(tokens_b)) - same


def _ragged_pairs(sizes: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All index pairs (i < j) inside each block [start, start + size) of a sorted array."""
    block = np.repeat(np.arange(len(sizes)), sizes)
    index = np.arange(len(block)) + np.repeat(starts - np.cumsum(np.r_[0, sizes[:-1]]), sizes)
    later = starts[block] + sizes[block] - 1 - index  # partners after each element
    left = np.repeat(index, later)
    first_of = np.repeat(np.cumsum(later) - later, later)
    right = left + (np.arange(len(left)) - first_of) + 1
    return left, right


def _shared_shingles(hashes: np.ndarray, shingle_doc: np.ndarray, group: np.ndarray,
                     df: np.ndarray, too_common: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of occurrences (x, y) of the same shingle in two documents, doc_x < doc_y.

    Too-common shingles are left out: they never make or extend a match (equal
    tokens in a short gap still let two runs join, see `_chain_runs`).
    """
    order = np.argsort(group, kind="stable")
    sizes = np.bincount(group)
    starts = np.cumsum(np.r_[0, sizes[:-1]])
    df_of_group = np.zeros(len(sizes), dtype=np.int64)
    df_of_group[group] = df
    eligible = (sizes >= 2) & (df_of_group >= 2) & (df_of_group <= too_common)
    left, right = _ragged_pairs(sizes[eligible], starts[eligible])
    occ_x, occ_y = order[left], order[right]
    doc_x, doc_y = shingle_doc[occ_x], shingle_doc[occ_y]
    different = doc_x != doc_y
    occ_x, occ_y, doc_x, doc_y = occ_x[different], occ_y[different], doc_x[different], doc_y[
        different]
    swap = doc_x > doc_y
    return np.where(swap, occ_y, occ_x), np.where(swap, occ_x, occ_y)


def _chain_runs(runs: list[tuple[int, int, int, int, int]], tokens_a: np.ndarray,
                tokens_b: np.ndarray, ngram: int, max_gap: int, reuse_min_tokens: int,
                max_boilerplate_share: float) -> list[tuple[int, int, int, int]]:
    """Join diagonal runs (a0, a1, b0, b1, boilerplate tokens) of one pair into passages.

    A run joins a passage when it starts just after it in both documents and the
    tokens in between differ in at most `max_gap` positions. Passages are kept
    by the formulaic-reuse rule (module docstring); a passage overlapping more
    than half of a longer kept one (a repeated paragraph) is dropped.
    """
    chains: list[list[int]] = []  # [a0, a1, b0, b1, boilerplate]
    for a0, a1, b0, b1, boilerplate in sorted(runs):
        best, best_cost = None, 0
        for chain in chains:
            gap_a, gap_b = a0 - chain[1], b0 - chain[3]
            if not (-ngram < gap_a <= max_gap + ngram and -ngram < gap_b <= max_gap + ngram):
                continue
            if a1 <= chain[1] or b1 <= chain[3]:
                continue
            cost = abs(gap_a) + abs(gap_b)
            if best is not None and cost >= best_cost:
                continue
            if _gap_mismatches(tokens_a[chain[1]:a0], tokens_b[chain[3]:b0]) <= max_gap:
                best, best_cost = chain, cost
        if best is None:
            chains.append([a0, a1, b0, b1, boilerplate])
        else:
            best[1], best[3], best[4] = a1, b1, best[4] + boilerplate
    kept: list[tuple[int, int, int, int]] = []
    for a0, a1, b0, b1, boilerplate in sorted(chains, key=lambda c: (c[0] - c[1], c[0], c[2])):
        n_tokens = a1 - a0
        if n_tokens - boilerplate < reuse_min_tokens:
            continue
        if boilerplate > max_boilerplate_share * n_tokens:
            continue
        if not any(
            min(a1, k[1]) - max(a0, k[0]) > (a1 - a0) / 2
            or min(b1, k[3]) - max(b0, k[2]) > (b1 - b0) / 2
            for k in kept
        ):
            kept.append((a0, a1, b0, b1))
    return sorted(kept)


def _candidate_mask(pair_key: np.ndarray, group: np.ndarray, usable: np.ndarray,
                    min_shared: int) -> np.ndarray:
    """Matches of pairs sharing >= `min_shared` distinct usable (non-formulaic) shingles."""
    keys, groups = pair_key[usable], group[usable]
    order = np.lexsort((groups, keys))
    keys, groups = keys[order], groups[order]
    distinct = np.ones(len(keys), dtype=bool)
    distinct[1:] = (keys[1:] != keys[:-1]) | (groups[1:] != groups[:-1])
    unique_keys, counts = np.unique(keys[distinct], return_counts=True)
    return np.isin(pair_key, unique_keys[counts >= min_shared])


def _runs(pair_key: np.ndarray, pos_a: np.ndarray, pos_b: np.ndarray, informative: np.ndarray,
          ngram: int) -> tuple[np.ndarray, ...]:
    """Maximal diagonal runs of matches: (key, a0, a1, b0, b1, boilerplate tokens) arrays."""
    diagonal = pos_b - pos_a
    order = np.lexsort((pos_a, diagonal, pair_key))
    pair_key, pos_a, pos_b = pair_key[order], pos_a[order], pos_b[order]
    diagonal, informative = diagonal[order], informative[order]
    breaks = np.ones(len(order), dtype=bool)
    breaks[1:] = ((pair_key[1:] != pair_key[:-1]) | (diagonal[1:] != diagonal[:-1])
                  | (pos_a[1:] - pos_a[:-1] != 1))
    run = np.cumsum(breaks) - 1
    starts = np.flatnonzero(breaks)
    ends = np.append(starts[1:], len(order))[:len(starts)] - 1
    # tokens covered by informative shingles: each adds min(step to the next one, ngram)
    inf_run, inf_pos = run[informative], pos_a[informative]
    step = np.full(len(inf_pos), ngram, dtype=np.int64)
    if len(inf_pos) > 1:
        same_run = inf_run[1:] == inf_run[:-1]
        step[:-1] = np.where(same_run, np.minimum(inf_pos[1:] - inf_pos[:-1], ngram), ngram)
    informative_tokens = np.bincount(inf_run, weights=step, minlength=len(starts))
    a0, a1 = pos_a[starts], pos_a[ends] + ngram
    boilerplate = (a1 - a0) - informative_tokens.astype(np.int64)
    return pair_key[starts], a0, a1, pos_b[starts], pos_b[ends] + ngram, boilerplate


def find_reuse(documents: pd.DataFrame, reuse_min_tokens: int = 12, ngram: int = 5,
               max_gap: int = 3, max_df: int = 50, max_df_share: float = 0.01,
               boiler_min_docs: int = 3, boiler_min_share: float = 0.001,
               formula_max_tokens: int = 24, max_boilerplate_share: float = 0.6,
               min_shared: int = 3, n_jobs: int | None = None) -> pd.DataFrame:
    """All passages shared by two documents (the reuse.csv table), see the module docstring.

    One row per passage: doc_a < doc_b, their sources, the passage as written in
    doc_a, character spans in both texts, its length in tokens (of doc_a),
    share_a/share_b = share of each document's tokens covered by all passages of
    the pair, and `first` = the doc_id published first ("" if unknown or same day).
    `n_jobs` processes tokenise (default: all cores, at most 4).
    """
    docs = documents.sort_values("doc_id", ignore_index=True)
    n_docs = len(docs)
    texts = docs["text"].fillna("").astype(str).tolist()
    n_jobs = min(os.cpu_count() or 1, 4) if n_jobs is None else n_jobs
    tokens, token_begin, token_end, lengths = tokenize_corpus(texts, n_jobs)
    token_start = np.r_[0, np.cumsum(lengths)].astype(np.int64)
    hashes, shingle_doc, shingle_pos = shingle_hashes(tokens, lengths, ngram)
    if len(hashes) == 0:
        return _reuse_table(docs, texts, lengths, token_begin, token_end, {})
    group, df = _document_frequency(hashes, shingle_doc)
    too_common = max(max_df, int(max_df_share * n_docs))
    common = max(boiler_min_docs, math.ceil(boiler_min_share * n_docs))
    formula = _formula_mask(df, shingle_doc, ngram, common, too_common, formula_max_tokens)

    occ_a, occ_b = _shared_shingles(hashes, shingle_doc, group, df, too_common)
    pair_key = shingle_doc[occ_a].astype(np.int64) * n_docs + shingle_doc[occ_b]
    usable = ~formula[occ_a] & ~formula[occ_b]
    keep = _candidate_mask(pair_key, group[occ_a], usable, min_shared)
    keys, a0s, a1s, b0s, b1s, boilers = (
        values.tolist() for values in _runs(
            pair_key[keep], shingle_pos[occ_a[keep]], shingle_pos[occ_b[keep]], usable[keep],
            ngram)
    )
    found: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
    first = 0
    for index in range(1, len(keys) + 1):
        if index < len(keys) and keys[index] == keys[first]:
            continue
        a, b = divmod(keys[first], n_docs)
        runs = list(zip(a0s[first:index], a1s[first:index], b0s[first:index],
                        b1s[first:index], boilers[first:index], strict=True))
        passages = _chain_runs(
            runs, tokens[token_start[a]:token_start[a + 1]],
            tokens[token_start[b]:token_start[b + 1]], ngram, max_gap, reuse_min_tokens,
            max_boilerplate_share,
        )
        if passages:
            found[(a, b)] = passages
        first = index
    return _reuse_table(docs, texts, lengths, token_begin, token_end, found)


def _token_union(spans: list[tuple[int, int]]) -> int:
    """Number of tokens covered by a set of half-open token spans."""
    total, reach = 0, -1
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def _reuse_table(docs: pd.DataFrame, texts: list[str], lengths: np.ndarray,
                 token_begin: np.ndarray, token_end: np.ndarray,
                 found: dict[tuple[int, int], list[tuple[int, int, int, int]]]) -> pd.DataFrame:
    """Rows of reuse.csv from token-span passages (offsets back to the original text)."""
    offset = np.r_[0, np.cumsum(lengths)].tolist()
    doc_ids = docs["doc_id"].astype(str).tolist()
    sources = docs["source"].astype("object").where(docs["source"].notna(), "").tolist()
    if "published" in docs.columns:
        days = pd.to_datetime(docs["published"]).dt.normalize().tolist()
    else:
        days = [pd.NaT] * len(docs)
    rows = []
    for (a, b), passages in sorted(found.items()):
        share_a = _token_union([(p[0], p[1]) for p in passages]) / lengths[a]
        share_b = _token_union([(p[2], p[3]) for p in passages]) / lengths[b]
        first = ""
        if pd.notna(days[a]) and pd.notna(days[b]) and days[a] != days[b]:
            first = doc_ids[a] if days[a] < days[b] else doc_ids[b]
        for a0, a1, b0, b1 in passages:
            start_a = int(token_begin[offset[a] + a0])
            end_a = int(token_end[offset[a] + a1 - 1])
            rows.append((
                doc_ids[a], doc_ids[b], sources[a], sources[b], texts[a][start_a:end_a],
                start_a, end_a, int(token_begin[offset[b] + b0]),
                int(token_end[offset[b] + b1 - 1]), a1 - a0, float(share_a), float(share_b),
                first,
            ))
    table = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    for column in ("start_a", "end_a", "start_b", "end_b", "n_tokens"):
        table[column] = table[column].astype("int64")
    for column in ("share_a", "share_b"):
        table[column] = table[column].astype("float64")
    return table.sort_values(["doc_a", "doc_b", "start_a"], ignore_index=True)


def reuse_pairs(reuse: pd.DataFrame) -> pd.DataFrame:
    """One row per linked pair: passages, tokens shared, shares of each document, who was first."""
    columns = ["doc_a", "doc_b", "source_a", "source_b", "n_passages", "n_tokens", "share_a",
               "share_b", "first"]
    if reuse.empty:
        return pd.DataFrame(columns=columns)
    pairs = reuse.groupby(["doc_a", "doc_b"], sort=True).agg(
        source_a=("source_a", "first"), source_b=("source_b", "first"),
        n_passages=("passage", "size"), n_tokens=("n_tokens", "sum"),
        share_a=("share_a", "first"), share_b=("share_b", "first"), first=("first", "first"),
    ).reset_index()
    return pairs[columns]


def reuse_matrix(reuse: pd.DataFrame, documents: pd.DataFrame | None = None,
                 directed: bool = True) -> pd.DataFrame:
    """Outlet x outlet number of linked document pairs.

    directed=True: row = outlet of the document published first, column = outlet
    of the later one (who was copied -> who copied); pairs without a known order
    (`first` == "") are left out. directed=False: every pair counts once in the
    symmetric matrix (both cells; same-outlet pairs on the diagonal). Outlets of
    `documents` without any pair get zero rows/columns.
    """
    pairs = reuse_pairs(reuse)
    outlets = set(pairs["source_a"]) | set(pairs["source_b"])
    if documents is not None:
        outlets |= set(documents["source"].fillna("").astype(str))
    names = sorted(outlets)
    matrix = pd.DataFrame(0, index=pd.Index(names, name="earlier" if directed else "source"),
                          columns=pd.Index(names, name="later" if directed else "source"))
    for row in pairs.itertuples(index=False):
        if directed:
            if row.first == "":
                continue
            copied, copier = ((row.source_a, row.source_b) if row.first == row.doc_a
                              else (row.source_b, row.source_a))
            matrix.loc[copied, copier] += 1
        else:
            matrix.loc[row.source_a, row.source_b] += 1
            if row.source_a != row.source_b:
                matrix.loc[row.source_b, row.source_a] += 1
    return matrix.astype("int64")


def top_passages(reuse: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """The most reused passages: occurrences linked by pairs or overlapping in one document.

    Every row of `reuse` is two occurrences (doc_a span, doc_b span) of one
    passage; occurrences overlapping in the same document are the same passage.
    Connected occurrences form one group (union-find). Columns: passage (the
    longest version), n_tokens (longest), n_docs, n_sources, sources, doc_ids;
    sorted by n_docs, then n_tokens (descending), then passage.
    """
    columns = ["passage", "n_tokens", "n_docs", "n_sources", "sources", "doc_ids"]
    if reuse.empty:
        return pd.DataFrame(columns=columns)
    occurrences = pd.concat([
        pd.DataFrame({"doc": reuse["doc_a"], "source": reuse["source_a"],
                      "start": reuse["start_a"], "end": reuse["end_a"], "row": reuse.index}),
        pd.DataFrame({"doc": reuse["doc_b"], "source": reuse["source_b"],
                      "start": reuse["start_b"], "end": reuse["end_b"], "row": reuse.index}),
    ], ignore_index=True)
    parent = list(range(len(occurrences)))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(x: int, y: int) -> None:
        root_x, root_y = find(x), find(y)
        if root_x != root_y:
            parent[max(root_x, root_y)] = min(root_x, root_y)

    half = len(reuse)
    for index in range(half):
        union(index, index + half)
    ordered = occurrences.sort_values(["doc", "start", "end"])
    previous_doc, reach, reach_node = None, -1, -1
    for node, doc, start, end in zip(ordered.index, ordered["doc"], ordered["start"],
                                     ordered["end"], strict=True):
        if doc == previous_doc and start < reach:
            union(node, reach_node)
        if doc != previous_doc or end > reach:
            reach, reach_node = end, node
        previous_doc = doc
    occurrences["group"] = [find(node) for node in range(len(occurrences))]
    occurrences["n_tokens"] = reuse["n_tokens"].to_numpy()[occurrences["row"]]
    occurrences["passage"] = reuse["passage"].to_numpy()[occurrences["row"]]
    longest = occurrences.sort_values(["group", "n_tokens", "passage"],
                                      ascending=[True, False, True]).drop_duplicates("group")
    table = longest.set_index("group")[["passage", "n_tokens"]]
    table["n_docs"] = occurrences.groupby("group")["doc"].nunique()
    table = table.sort_values(["n_docs", "n_tokens", "passage"],
                              ascending=[False, False, True]).head(n)
    chosen = occurrences[occurrences["group"].isin(table.index)]
    sources = chosen[["group", "source"]].astype({"source": str}).drop_duplicates()
    docs = chosen[["group", "doc"]].astype({"doc": str}).drop_duplicates()
    table["n_sources"] = sources.groupby("group").size()
    table["sources"] = sources.sort_values("source").groupby("group")["source"].agg(", ".join)
    table["doc_ids"] = docs.sort_values("doc").groupby("group")["doc"].agg(", ".join)
    table["n_tokens"] = table["n_tokens"].astype("int64")
    return table.reset_index(drop=True)[columns]

"""Example sentences for a table's rows, so every number can be read in context.

Each example is the sentence that holds a span, with the span's offsets made
relative to that sentence (for highlighting). Output columns match what
`ReportSection.table(context=...)` expects: <key>, doc_id, source, sentence,
start, end.
"""

from __future__ import annotations

import pandas as pd

CONTEXT_COLUMNS = ["doc_id", "source", "sentence", "start", "end"]


def _empty(key: str) -> pd.DataFrame:
    return pd.DataFrame(columns=[key, *CONTEXT_COLUMNS])


def span_contexts(
    spans: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    key: str,
    n: int = 3,
) -> pd.DataFrame:
    """Up to `n` example sentences per value of `key` for spans (doc_id, start, end).

    A span is placed in the sentence that contains its start. Examples are
    taken in document order (doc_id, start) and from distinct documents first,
    so three examples show three articles when there are three.
    """
    if spans.empty or sentences.empty:
        return _empty(key)
    sents = sentences.astype({"start": "int64", "end": "int64"})
    spans = spans.astype({"start": "int64", "end": "int64"})
    located = pd.merge_asof(
        spans.sort_values("start").rename(columns={"start": "span_start", "end": "span_end"}),
        sents[["doc_id", "start", "end", "text"]].rename(
            columns={"start": "sent_start", "end": "sent_end", "text": "sentence"}
        ).sort_values("sent_start"),
        left_on="span_start", right_on="sent_start", by="doc_id", direction="backward",
    )
    located = located.dropna(subset=["sentence"])
    located = located[located["span_end"] <= located["sent_end"]]
    if located.empty:
        return _empty(key)
    located = located.sort_values([key, "doc_id", "span_start"], kind="mergesort")
    located["_doc_rank"] = located.groupby([key, "doc_id"]).cumcount()
    located = located.sort_values([key, "_doc_rank", "doc_id", "span_start"], kind="mergesort")
    picked = located.groupby(key, sort=False).head(n).copy()
    picked["start"] = (picked["span_start"] - picked["sent_start"]).astype(int)
    picked["end"] = (picked["span_end"] - picked["sent_start"]).astype(int)
    sources = documents.set_index("doc_id")["source"]
    picked["source"] = picked["doc_id"].map(sources).fillna("")
    return picked[[key, *CONTEXT_COLUMNS]].reset_index(drop=True)


def mention_contexts(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    key: str = "entity_id",
    n: int = 3,
) -> pd.DataFrame:
    """Example sentences per entity (or any mention column), the mention highlighted."""
    return span_contexts(mentions[["doc_id", "start", "end", key]], sentences, documents, key, n)


def pair_contexts(
    pairs: pd.DataFrame,
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    n: int = 3,
) -> pd.DataFrame:
    """Example sentences where both entities of a pair are named (key column "pair").

    `pairs` has entity_a and entity_b; the key is "<entity_a> + <entity_b>" and
    the highlight is entity_a's mention in a sentence that also names entity_b.
    Pairs that only meet across sentences (paragraph/document windows) get no
    example, since no single sentence shows them together.
    """
    if pairs.empty or mentions.empty:
        return _empty("pair")
    wanted = pairs[["entity_a", "entity_b"]].drop_duplicates()
    by_sentence = mentions[["doc_id", "sent_id", "entity_id", "start", "end"]]
    joined = by_sentence.merge(wanted, left_on="entity_id", right_on="entity_a").merge(
        by_sentence[["doc_id", "sent_id", "entity_id"]].rename(columns={"entity_id": "entity_b"}),
        on=["doc_id", "sent_id", "entity_b"],
    )
    if joined.empty:
        return _empty("pair")
    joined = joined.drop_duplicates(["doc_id", "sent_id", "entity_a", "entity_b"])
    joined["pair"] = pair_key(joined)
    return span_contexts(joined[["doc_id", "start", "end", "pair"]], sentences, documents,
                         "pair", n)


def pair_key(pairs: pd.DataFrame) -> pd.Series:
    """The text key of a pair of entity ids, as used by `pair_contexts`."""
    return pairs["entity_a"].astype(str) + " + " + pairs["entity_b"].astype(str)

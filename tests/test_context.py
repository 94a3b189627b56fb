"""Example sentences with highlight offsets relative to the sentence."""

from __future__ import annotations

import pandas as pd

from analysis.context import mention_contexts, pair_contexts

TEXT = "استقبل حموشي نظيره الفرنسي.\nوقال دارمانان إن التعاون متميز. وزار حموشي باريس."
#       0         1         2
# sentence 0: 0..27 "استقبل حموشي نظيره الفرنسي."  حموشي at 7..12
# sentence 1: 28..59 "وقال دارمانان إن التعاون متميز."  دارمانان at 33..41
# sentence 2: 60..77 "وزار حموشي باريس."  حموشي at 65..70, باريس at 71..76


def _tables():
    starts = [0, 28, 60]
    ends = [27, 59, 77]
    texts = [TEXT[s:e] for s, e in zip(starts, ends, strict=True)]
    sentences = pd.DataFrame(
        {"doc_id": ["d1"] * 3, "para_id": [0, 1, 1], "sent_id": [0, 1, 2],
         "start": starts, "end": ends, "text": texts}
    )
    mentions = pd.DataFrame(
        {"doc_id": ["d1"] * 4, "sent_id": [0, 1, 2, 2], "start": [7, 33, 65, 71],
         "end": [12, 41, 70, 76], "entity_id": ["hammouchi", "darmanin", "hammouchi", "paris"]}
    )
    documents = pd.DataFrame({"doc_id": ["d1"], "source": ["الرباط بريس"]})
    return sentences, mentions, documents


def test_offsets_are_checked_against_the_text():
    sentences, mentions, _ = _tables()
    for row in mentions.itertuples():
        assert TEXT[row.start:row.end] in {"حموشي", "دارمانان", "باريس"}
    assert sentences["text"].tolist()[2] == "وزار حموشي باريس."


def test_mention_contexts_relative_offsets():
    sentences, mentions, documents = _tables()
    ctx = mention_contexts(mentions, sentences, documents, n=3)
    hammouchi = ctx[ctx["entity_id"] == "hammouchi"]
    assert hammouchi["start"].tolist() == [7, 5]  # 7-0 and 65-60
    assert hammouchi["end"].tolist() == [12, 10]
    first = hammouchi.iloc[1]
    assert first["sentence"][first["start"]:first["end"]] == "حموشي"
    assert set(ctx["source"]) == {"الرباط بريس"}


def test_mention_contexts_limit_per_key():
    sentences, mentions, documents = _tables()
    ctx = mention_contexts(mentions, sentences, documents, n=1)
    assert ctx.groupby("entity_id").size().to_dict() == {"darmanin": 1, "hammouchi": 1, "paris": 1}


def test_pair_contexts_only_same_sentence():
    sentences, mentions, documents = _tables()
    pairs = pd.DataFrame({"entity_a": ["hammouchi", "darmanin"],
                          "entity_b": ["paris", "hammouchi"]})
    ctx = pair_contexts(pairs, mentions, sentences, documents)
    # hammouchi + paris share sentence 2; darmanin never shares a sentence with hammouchi
    assert ctx["pair"].tolist() == ["hammouchi + paris"]
    assert ctx.iloc[0]["sentence"][ctx.iloc[0]["start"]:ctx.iloc[0]["end"]] == "حموشي"

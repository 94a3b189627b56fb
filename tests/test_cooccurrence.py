"""Co-occurrence counts and measures against values computed by hand on a toy corpus."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.cooccurrence import (
    COOC_COLUMNS,
    association_matrix,
    cooccurrence_counts,
    ego_network,
    top_entities,
)

NAMES = {
    "hammouchi": ("عبد اللطيف حموشي", "PER", "Abdellatif Hammouchi"),
    "nunez": ("لوران نونيز", "PER", "Laurent Nuñez"),
    "morocco": ("المغرب", "GPE", "Morocco"),
    "france": ("فرنسا", "GPE", "France"),
}

# Toy corpus (H = hammouchi, N = nunez, M = morocco, F = france):
#   d1  para 0: sent 0 {H, N}   sent 1 {H, M}      para 1: sent 2 {N, F}
#   d2  para 0: sent 0 {H, M, M (twice)}  sent 1 {}
#   d3  para 0: sent 0 {F}                          para 1: sent 1 {H, N}
#   d4  para 0: sent 0 {M}  sent 1 {M}             (single-entity document)
#   d5  para 0: sent 0 {}                           (no mentions at all)
# Windows in the corpus: 10 sentences, 7 paragraphs, 5 documents.
MENTION_ROWS = [
    # doc, para, sent, surface text, entity
    ("d1", 0, 0, "حموشي", "hammouchi"),
    ("d1", 0, 0, "نونيز", "nunez"),
    ("d1", 0, 1, "الحموشي", "hammouchi"),
    ("d1", 0, 1, "بالمغرب", "morocco"),
    ("d1", 1, 2, "نونيز", "nunez"),
    ("d1", 1, 2, "وفرنسا", "france"),
    ("d2", 0, 0, "حموشي", "hammouchi"),
    ("d2", 0, 0, "المغرب", "morocco"),
    ("d2", 0, 0, "للمغرب", "morocco"),
    ("d3", 0, 0, "فرنسا", "france"),
    ("d3", 1, 1, "عبد اللطيف حموشي", "hammouchi"),
    ("d3", 1, 1, "لوران نونيز", "nunez"),
    ("d4", 0, 0, "المملكة المغربية", "morocco"),
    ("d4", 0, 1, "المغرب", "morocco"),
]
SENTENCE_ROWS = [
    ("d1", 0, 0), ("d1", 0, 1), ("d1", 1, 2), ("d2", 0, 0), ("d2", 0, 1),
    ("d3", 0, 0), ("d3", 1, 1), ("d4", 0, 0), ("d4", 0, 1), ("d5", 0, 0),
]


def make_mentions(rows: list[tuple] = MENTION_ROWS) -> pd.DataFrame:
    records = []
    for i, (doc, para, sent, text, entity) in enumerate(rows):
        name, label, name_en = NAMES[entity]
        records.append({
            "doc_id": doc, "para_id": para, "sent_id": sent, "start": i * 10,
            "end": i * 10 + len(text), "text": text, "label": label, "entity_id": entity,
            "entity_name": name, "entity_name_en": name_en, "method": "codebook",
        })
    return pd.DataFrame(records, columns=[
        "doc_id", "para_id", "sent_id", "start", "end", "text", "label", "entity_id",
        "entity_name", "entity_name_en", "method",
    ])


def make_sentences() -> pd.DataFrame:
    return pd.DataFrame(SENTENCE_ROWS, columns=["doc_id", "para_id", "sent_id"])


def as_rows(frame: pd.DataFrame) -> list[tuple]:
    return list(frame[["entity_a", "entity_b", "count", "docs", "count_a", "count_b"]]
                .itertuples(index=False, name=None))


def check_measures(frame: pd.DataFrame, expected: list[tuple]) -> None:
    for row, (pmi, npmi, llr, jaccard) in zip(frame.itertuples(), expected, strict=True):
        assert row.pmi == pytest.approx(pmi, abs=1e-5)
        assert row.npmi == pytest.approx(npmi, abs=1e-5)
        assert row.llr == pytest.approx(llr, abs=1e-5)
        assert row.jaccard == pytest.approx(jaccard, abs=1e-5)


def test_sentence_window_by_hand() -> None:
    result = cooccurrence_counts(make_mentions(), "sentence", sentences=make_sentences())
    # Sentence marginals (windows containing each; duplicates in d2/s0 count once):
    #   H: d1s0 d1s1 d2s0 d3s1 = 4;  N: d1s0 d1s2 d3s1 = 3;  M: d1s1 d2s0 d4s0 d4s1 = 4;  F = 2
    assert as_rows(result) == [
        ("hammouchi", "nunez", 2, 2, 4, 3),    # d1s0, d3s1 -> docs d1, d3
        ("hammouchi", "morocco", 2, 2, 4, 4),  # d1s1, d2s0 -> docs d1, d2
        ("france", "nunez", 1, 1, 2, 3),       # d1s2
    ]
    assert set(result["n_windows"]) == {10}
    assert set(result["window"]) == {"sentence"}
    # H,N: pmi = log2(2*10/(4*3)) = log2(1.6667) = 0.736966; npmi = 0.736966/-log2(2/10)
    #      = 0.736966/2.321928 = 0.317394; 2x2 table O = [2, 2, 1, 5], E = [1.2, 2.8, 1.8, 4.2]
    #      G2 = 2*(2ln(2/1.2) + 2ln(2/2.8) + 1ln(1/1.8) + 5ln(5/4.2)) = 1.265374; J = 2/5
    # H,M: pmi = log2(20/16) = 0.321928; npmi = 0.321928/2.321928 = 0.138647;
    #      O = [2, 2, 2, 4], E = [1.6, 2.4, 2.4, 3.6] -> G2 = 0.276886; J = 2/(4+4-2) = 1/3
    # F,N: pmi = log2(10/6) = 0.736966; npmi = 0.736966/-log2(1/10) = 0.221849;
    #      O = [1, 1, 2, 6], E = [0.6, 1.4, 2.4, 5.6] -> G2 = 0.447335; J = 1/(2+3-1) = 0.25
    check_measures(result, [
        (0.736966, 0.317394, 1.265374, 0.4),
        (0.321928, 0.138647, 0.276886, 1 / 3),
        (0.736966, 0.221849, 0.447335, 0.25),
    ])
    assert list(result["name_a"]) == ["عبد اللطيف حموشي", "عبد اللطيف حموشي", "فرنسا"]
    assert list(result["label_b"]) == ["PER", "GPE", "PER"]
    assert list(result["name_en_b"]) == ["Laurent Nuñez", "Morocco", "Laurent Nuñez"]


def test_paragraph_window_by_hand() -> None:
    result = cooccurrence_counts(make_mentions(), "paragraph", sentences=make_sentences())
    # Paragraphs: d1p0 {H,N,M}  d1p1 {N,F}  d2p0 {H,M}  d3p0 {F}  d3p1 {H,N}  d4p0 {M}  d5p0 {}
    # Marginals: H 3, N 3, M 3, F 2; N = 7 windows.
    assert as_rows(result) == [
        ("hammouchi", "morocco", 2, 2, 3, 3),  # d1p0, d2p0 (tie with H,N broken by entity_b)
        ("hammouchi", "nunez", 2, 2, 3, 3),    # d1p0, d3p1
        ("france", "nunez", 1, 1, 2, 3),       # d1p1
        ("morocco", "nunez", 1, 1, 3, 3),      # d1p0
    ]
    assert set(result["n_windows"]) == {7}
    # H,M and H,N: pmi = log2(2*7/9) = 0.637430; npmi = 0.637430/-log2(2/7) = 0.352687;
    #   O = [2, 1, 1, 3], E = [9/7, 12/7, 12/7, 16/7] -> G2 = 1.242947; J = 2/(3+3-2) = 0.5
    # F,N: pmi = log2(7/6) = 0.222392; npmi = 0.222392/-log2(1/7) = 0.079218;
    #   O = [1, 1, 2, 3], E = [6/7, 8/7, 15/7, 20/7] -> G2 = 0.058008; J = 1/4
    # M,N: pmi = log2(7/9) = -0.362570; npmi = -0.362570/2.807355 = -0.129150;
    #   O = [1, 2, 2, 2], E = [9/7, 12/7, 12/7, 16/7] -> G2 = 0.196451; J = 1/5
    check_measures(result, [
        (0.637430, 0.352687, 1.242947, 0.5),
        (0.637430, 0.352687, 1.242947, 0.5),
        (0.222392, 0.079218, 0.058008, 0.25),
        (-0.362570, -0.129150, 0.196451, 0.2),
    ])


def test_document_window_by_hand() -> None:
    result = cooccurrence_counts(make_mentions(), "document", sentences=make_sentences())
    # Documents: d1 {H,N,M,F}  d2 {H,M}  d3 {F,H,N}  d4 {M}  d5 {}; N = 5.
    # Marginals: H 3 (d1 d2 d3), N 2 (d1 d3), M 3 (d1 d2 d4), F 2 (d1 d3).
    assert as_rows(result) == [
        ("france", "nunez", 2, 2, 2, 2),
        ("france", "hammouchi", 2, 2, 2, 3),   # ties with H,N on count and npmi: F < H
        ("hammouchi", "nunez", 2, 2, 3, 2),
        ("hammouchi", "morocco", 2, 2, 3, 3),
        ("france", "morocco", 1, 1, 2, 3),
        ("morocco", "nunez", 1, 1, 3, 2),
    ]
    # F,N: pmi = log2(2*5/4) = 1.321928; npmi = 1.321928/-log2(2/5) = 1.0;
    #   O = [2, 0, 0, 3], E = [0.8, 1.2, 1.2, 1.8] -> G2 = 2*(2ln2.5 + 3ln(3/1.8)) = 6.730117; J=1
    # F,H and H,N: pmi = log2(10/6) = 0.736966; npmi = 0.736966/1.321928 = 0.557493;
    #   O = [2, 0, 1, 2], E = [1.2, 0.8, 1.8, 1.2] -> G2 = 2.911032; J = 2/3
    # H,M: pmi = log2(10/9) = 0.152003; npmi = 0.152003/1.321928 = 0.114986;
    #   O = [2, 1, 1, 1], E = [1.8, 1.2, 1.2, 0.8] -> G2 = 0.138443; J = 2/4
    # F,M and M,N: pmi = log2(5/6) = -0.263034; npmi = -0.263034/-log2(1/5) = -0.113283;
    #   O = [1, 1, 2, 1], E = [1.2, 0.8, 1.8, 1.2] -> G2 = 0.138443; J = 1/4
    check_measures(result, [
        (1.321928, 1.0, 6.730117, 1.0),
        (0.736966, 0.557493, 2.911032, 2 / 3),
        (0.736966, 0.557493, 2.911032, 2 / 3),
        (0.152003, 0.114986, 0.138443, 0.5),
        (-0.263034, -0.113283, 0.138443, 0.25),
        (-0.263034, -0.113283, 0.138443, 0.25),
    ])


def test_docs_counts_distinct_documents_not_windows() -> None:
    # H and N share two sentences of d1 and one of d3: count 3 sentence windows, docs 2.
    rows = MENTION_ROWS + [("d1", 1, 2, "حموشي", "hammouchi")]
    result = cooccurrence_counts(make_mentions(rows), "sentence", sentences=make_sentences())
    pair = result.loc[(result["entity_a"] == "hammouchi") & (result["entity_b"] == "nunez")]
    assert pair[["count", "docs"]].values.tolist() == [[3, 2]]


def test_single_entity_documents_give_no_pairs() -> None:
    rows = [r for r in MENTION_ROWS if r[0] == "d4"] + [("d3", 0, 0, "فرنسا", "france")]
    for window in ("sentence", "paragraph", "document"):
        result = cooccurrence_counts(make_mentions(rows), window, sentences=make_sentences())
        assert result.empty
        assert list(result.columns) == COOC_COLUMNS


def test_min_count_filters_rare_pairs() -> None:
    result = cooccurrence_counts(make_mentions(), "document", min_count=2,
                                 sentences=make_sentences())
    # the two count-1 pairs (F,M) and (M,N) are dropped; marginals are unchanged
    assert len(result) == 4
    assert result["count"].min() == 2
    assert result.loc[result["entity_b"] == "morocco", "count_b"].tolist() == [3]


def test_empty_mentions_give_empty_frame_with_columns() -> None:
    empty = make_mentions([])
    result = cooccurrence_counts(empty, "sentence", sentences=make_sentences())
    assert result.empty
    assert list(result.columns) == COOC_COLUMNS
    assert result["count"].dtype == "int64"


def test_n_windows_argument_and_entity_restriction() -> None:
    by_count = cooccurrence_counts(make_mentions(), "sentence", n_windows=10)
    by_table = cooccurrence_counts(make_mentions(), "sentence", sentences=make_sentences())
    pd.testing.assert_frame_equal(by_count, by_table)
    restricted = cooccurrence_counts(make_mentions(), "sentence", n_windows=10,
                                     entities=["hammouchi", "morocco"])
    assert as_rows(restricted) == [("hammouchi", "morocco", 2, 2, 4, 4)]
    with pytest.raises(ValueError, match="sentences"):
        cooccurrence_counts(make_mentions(), "sentence")
    with pytest.raises(ValueError, match="n_windows"):
        cooccurrence_counts(make_mentions(), "sentence", n_windows=3)  # 7 windows have mentions
    with pytest.raises(ValueError, match="window"):
        cooccurrence_counts(make_mentions(), "line", n_windows=10)


def test_result_does_not_depend_on_row_order() -> None:
    shuffled = make_mentions().sample(frac=1.0, random_state=3)
    a = cooccurrence_counts(shuffled, "paragraph", sentences=make_sentences())
    b = cooccurrence_counts(make_mentions(), "paragraph", sentences=make_sentences())
    pd.testing.assert_frame_equal(a, b)


def test_top_entities_by_docs_and_mentions() -> None:
    by_docs = top_entities(make_mentions(), top_n=3)
    # docs: H 3 (d1 d2 d3), M 3 (d1 d2 d4), F 2, N 2; mentions: H 4, M 5, N 3, F 2
    # ties on docs broken by mentions: M (5) before H (4); N (3) before F (2)
    assert by_docs[["entity_id", "docs", "mentions"]].values.tolist() == [
        ["morocco", 3, 5], ["hammouchi", 3, 4], ["nunez", 2, 3],
    ]
    assert by_docs["entity_name"].tolist()[0] == "المغرب"
    assert by_docs["entity_name_en"].tolist()[0] == "Morocco"
    no_latin = top_entities(make_mentions().drop(columns="entity_name_en"), top_n=1)
    assert no_latin["entity_name_en"].isna().all()
    by_mentions = top_entities(make_mentions(), top_n=None, by="mentions")
    assert by_mentions["entity_id"].tolist() == ["morocco", "hammouchi", "nunez", "france"]


def test_ego_network_and_association_matrix() -> None:
    cooc = cooccurrence_counts(make_mentions(), "document", sentences=make_sentences())
    ego = ego_network(cooc, "nunez", top_n=2)
    # partners of N by npmi: F (1.0), H (0.557), M (-0.113) -> top 2 = F, H; plus edge F-H
    focus = ego.loc[ego["is_focus_edge"], ["entity_a", "entity_b"]].values.tolist()
    assert focus == [["france", "nunez"], ["hammouchi", "nunez"]]
    assert ego.loc[~ego["is_focus_edge"], ["entity_a", "entity_b"]].values.tolist() == [
        ["france", "hammouchi"]]
    matrix = association_matrix(cooc, ["france", "nunez", "morocco"], "count")
    assert matrix.loc["nunez", "france"] == 2
    assert matrix.loc["morocco", "france"] == 1
    assert pd.isna(matrix.loc["france", "france"])

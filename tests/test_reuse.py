"""Reused passages: shingling, alignment, the formulaic-reuse rule, summaries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.arabic import word_spans
from analysis.reuse import (
    REUSE_COLUMNS,
    find_reuse,
    reuse_matrix,
    reuse_pairs,
    shingle_hashes,
    tokenize_corpus,
    top_passages,
)

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"

# A press release of 47 tokens (counted with word_spans; the final "." is not a token).
PRESS = (
    "أعلنت المديرية العامة للوقاية المدنية أن فرقها تدخلت خلال الأسبوع الماضي في أكثر من "
    "ثلاثمائة حادث سير بمختلف جهات المملكة، وأن هذه التدخلات مكنت من إنقاذ عشرات المصابين "
    "ونقلهم إلى المستشفيات القريبة، داعية السائقين إلى احترام قواعد السلامة الطرقية وتخفيف "
    "السرعة داخل المدارات الحضرية خلال فصل الصيف."
)
INTRO = [
    "شهدت الطرق الوطنية خلال عطلة نهاية الأسبوع حركة سير كثيفة بسبب عودة أفراد الجالية.",
    "في حصيلة جديدة نشرت مساء أمس، كشفت أرقام رسمية عن ارتفاع ملحوظ في عدد الحوادث.",
    "قالت مصادر مطلعة إن حصيلة الحوادث هذا الصيف تبقى مقلقة رغم المجهودات المبذولة.",
]
OUTRO = [
    "ومن جهة أخرى تواصل السلطات المحلية حملات المراقبة على الطرق السيارة.",
    "ويرتقب أن تطلق الوزارة الوصية حملة تحسيسية جديدة مطلع الشهر المقبل.",
    "وكانت جمعيات مدنية قد طالبت بتشديد العقوبات على المخالفين.",
]
FORMULA = "المدير العام للأمن الوطني ولمراقبة التراب الوطني عبد اللطيف حموشي"  # 10 tokens
DATELINE = "الرباط في 12 دجنبر 2023 (ومع) -"  # 6 tokens: الرباط في 12 دجنبر 2023 ومع


def frame(rows: list[tuple[str, str | None, str | None, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["doc_id", "source", "published", "text"])


def test_token_and_shingle_hashes_are_stable_and_stay_inside_documents() -> None:
    texts = ["الأمن الوطني يعلن", "الامن الوطنى يعلن حصيلة"]  # same words after normalisation
    tokens, begin, end, lengths = tokenize_corpus(texts)
    assert lengths.tolist() == [3, 4]
    assert tokens[:3].tolist() == tokens[3:6].tolist()
    assert (begin[0], end[0]) == (0, 5)  # "الأمن" keeps its original offsets
    hashes, docs, positions = shingle_hashes(tokens, lengths, 3)
    # doc 0 has 3 - 3 + 1 = 1 shingle, doc 1 has 4 - 3 + 1 = 2; none crosses documents
    assert docs.tolist() == [0, 1, 1] and positions.tolist() == [0, 0, 1]
    assert hashes[0] == hashes[1]
    again, _, _ = shingle_hashes(*tokenize_corpus(texts)[::3], 3)
    assert again.tolist() == hashes.tolist()


def test_verbatim_copy_inside_different_text_is_one_passage() -> None:
    text_1 = f"{INTRO[0]} {PRESS} {OUTRO[0]}"
    text_2 = f"{INTRO[1]}\n{PRESS}\n{OUTRO[1]}"
    reuse = find_reuse(frame([("d1", "hespress", None, text_1), ("d2", "alyaoum24", None,
                                                                    text_2)]))
    assert list(reuse.columns) == REUSE_COLUMNS
    assert len(reuse) == 1
    row = reuse.iloc[0]
    assert (row.doc_a, row.doc_b, row.source_a, row.source_b) == (
        "d1", "d2", "hespress", "alyaoum24")
    assert row.passage == PRESS.rstrip(".")
    start_1, start_2 = text_1.index(PRESS), text_2.index(PRESS)
    assert (row.start_a, row.end_a) == (start_1, start_1 + len(PRESS) - 1)
    assert (row.start_b, row.end_b) == (start_2, start_2 + len(PRESS) - 1)
    assert row.n_tokens == 47
    # share = 47 passage tokens / all tokens of the document
    assert row.share_a == pytest.approx(47 / len(word_spans(text_1)))
    assert row.share_b == pytest.approx(47 / len(word_spans(text_2)))
    assert row.first == ""


def test_near_copy_with_three_words_changed_stays_one_passage() -> None:
    # tokens 10, 26 and 39 of PRESS replaced (more than `ngram` tokens apart)
    edited = (PRESS.replace("الأسبوع الماضي", "الأسبوع المنصرم")
              .replace("عشرات المصابين", "مئات المصابين").replace("وتخفيف", "وخفض"))
    text_1 = f"{INTRO[0]} {PRESS} {OUTRO[0]}"
    text_2 = f"{INTRO[1]} {edited} {OUTRO[1]}"
    reuse = find_reuse(frame([("a", "s1", None, text_1), ("b", "s2", None, text_2)]))
    assert len(reuse) == 1
    row = reuse.iloc[0]
    start_1, start_2 = text_1.index(PRESS), text_2.index(edited)
    assert (row.start_a, row.end_a) == (start_1, start_1 + len(PRESS) - 1)
    assert (row.start_b, row.end_b) == (start_2, start_2 + len(edited) - 1)
    assert row.n_tokens == 47


def test_two_changed_words_close_together_do_not_split_the_passage() -> None:
    # tokens 12 and 15 changed: no shingle covers 13-14, but only 2 of the 4 gap tokens differ
    edited = PRESS.replace("أكثر من ثلاثمائة حادث", "أزيد من ثلاثمائة واقعة")
    reuse = find_reuse(frame([("a", "s1", None, f"{INTRO[0]} {PRESS}"),
                              ("b", "s2", None, f"{INTRO[2]} {edited}")]))
    assert reuse["n_tokens"].tolist() == [47]


def formula_corpus() -> pd.DataFrame:
    return frame([
        ("x", "map", None, f"{DATELINE} استقبل {FORMULA}، اليوم بمقر المديرية، وفدا من خبراء "
                           "الأمن المعلوماتي القادمين من عدة دول أوروبية لبحث تبادل التجارب."),
        ("y", "le360", None, f"{DATELINE} ترأس {FORMULA}، صباح اليوم، حفل تخرج فوج جديد من "
                             "ضباط الشرطة بالمعهد الملكي بالقنيطرة بحضور عائلات الخريجين."),
        ("z", "hespress", None, f"أشاد رئيس الحكومة بالمجهودات التي يبذلها {FORMULA} في "
                                "تحديث المرفق الأمني."),
        ("w", "alayam", None, f"وجه {FORMULA} مذكرة إلى المصالح اللاممركزة تدعو إلى تسريع "
                              "معالجة الشكايات."),
    ])


def test_shared_title_name_and_dateline_do_not_make_a_reuse_pair() -> None:
    documents = formula_corpus()
    assert find_reuse(documents).empty
    # even when every shared shingle makes a candidate, the passage (6 dateline tokens +
    # 1 changed verb + 10 formula tokens = 17) has 17 - 10 = 7 < 12 non-formulaic tokens
    assert find_reuse(documents, min_shared=1).empty
    # the rule is what rejects it: with no formula detection the same passage is kept
    unguarded = find_reuse(documents, min_shared=1, formula_max_tokens=0)
    assert unguarded[["doc_a", "doc_b", "n_tokens"]].values.tolist() == [["x", "y", 17]]
    assert unguarded["passage"].iloc[0] == f"{DATELINE} استقبل {FORMULA}"


def press_release_corpus() -> pd.DataFrame:
    return frame([
        ("c", "alyaoum24", "2024-03-02", f"{INTRO[2]} {PRESS} {OUTRO[2]}"),
        ("a", "hespress", "2024-03-01", f"{INTRO[0]} {PRESS} {OUTRO[0]}"),
        ("b", "le360", "2024-03-02", f"{INTRO[1]} {PRESS} {OUTRO[1]}"),
        ("d", "hespress", "2024-03-02", " ".join(OUTRO) + " " + FORMULA),
    ])


def test_three_documents_sharing_a_press_release_make_three_pairs() -> None:
    reuse = find_reuse(press_release_corpus())
    assert reuse[["doc_a", "doc_b"]].values.tolist() == [["a", "b"], ["a", "c"], ["b", "c"]]
    assert set(reuse["passage"]) == {PRESS.rstrip(".")}
    # a was published a day before b and c; b and c appeared the same day
    assert reuse["first"].tolist() == ["a", "a", ""]


def test_result_is_deterministic_and_independent_of_row_order() -> None:
    documents = press_release_corpus()
    first = find_reuse(documents)
    shuffled = find_reuse(documents.sample(frac=1, random_state=7), n_jobs=1)
    pd.testing.assert_frame_equal(first, shuffled)
    assert first.to_csv(index=False) == find_reuse(documents).to_csv(index=False)


def test_pairs_matrix_and_top_passages() -> None:
    documents = press_release_corpus()
    reuse = find_reuse(documents)
    pairs = reuse_pairs(reuse)
    assert pairs["n_passages"].tolist() == [1, 1, 1]
    assert pairs["n_tokens"].tolist() == [47, 47, 47]
    directed = reuse_matrix(reuse, documents)
    # a (hespress) was copied by b (le360) and c (alyaoum24); b-c has no order
    expected = pd.DataFrame(0, index=["alyaoum24", "hespress", "le360"],
                            columns=["alyaoum24", "hespress", "le360"])
    expected.loc["hespress", "le360"] = 1
    expected.loc["hespress", "alyaoum24"] = 1
    assert np.array_equal(directed.to_numpy(), expected.to_numpy())
    assert directed.index.tolist() == expected.index.tolist()
    undirected = reuse_matrix(reuse, documents, directed=False)
    # every pair counted in both cells: each outlet is linked once to each other outlet
    assert undirected.to_numpy().tolist() == [[0, 1, 1], [1, 0, 1], [1, 1, 0]]
    top = top_passages(reuse, 5)
    assert len(top) == 1
    assert top.iloc[0][["n_docs", "n_sources", "n_tokens"]].tolist() == [3, 3, 47]
    assert top.iloc[0]["sources"] == "alyaoum24, hespress, le360"
    assert top.iloc[0]["doc_ids"] == "a, b, c"


def test_empty_and_unrelated_documents_give_an_empty_table() -> None:
    reuse = find_reuse(frame([("a", None, None, INTRO[0]), ("b", None, None, ""),
                              ("c", None, None, None)]))
    assert reuse.empty and list(reuse.columns) == REUSE_COLUMNS
    assert reuse_pairs(reuse).empty and top_passages(reuse).empty


def test_seed_press_release_articles_are_linked_pairwise_and_nothing_else() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"shared seed corpus not available at {SEEDS}")
    cleaning = pytest.importorskip("analysis.cleaning", reason="analysis.cleaning not importable")
    rows = []
    for path in sorted(SEEDS.glob("*.txt")):
        cleaned = cleaning.clean_text(path.read_text(encoding="utf-8"))
        rows.append((path.stem[:3], None, None, cleaned.text))
    reuse = find_reuse(frame(rows))
    pairs = sorted(set(map(tuple, reuse[["doc_a", "doc_b"]].values.tolist())))
    assert pairs == [("000", "001"), ("000", "003"), ("001", "003")]
    # the press-release passage is at least 30 tokens long in every pair
    assert (reuse.groupby(["doc_a", "doc_b"])["n_tokens"].max() >= 30).all()

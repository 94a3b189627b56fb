"""Outlet profiles, association tests and keyness, against hand-computed values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.sources import (
    UNKNOWN_SOURCE,
    articles_per_source,
    entity_keyness,
    keyness,
    keyness_from_counts,
    keyness_tokens,
    source_association_test,
    source_profile,
)


def documents() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["d1", "d2", "d3", "d4"],
        "source": ["hespress", "hespress", "le360", None],
        "published": pd.to_datetime(["2024-01-05", "2024-03-20", "2024-01-28", None]),
        "text": [
            "وقالت الداخلية في بلاغ إن الأمن الوطني أوقف المشتبه فيهم بمدينة طنجة.",
            "أكدت الداخلية أن الأمن الوطني يواصل التحقيق في طنجة 2024.",
            "أعلن المنتخب الوطني لائحة اللاعبين و المدرب يستعد للمباراة.",
            "تساقطات مطرية مرتقبة.",
        ],
    })


def test_articles_per_source_fills_empty_months_and_skips_undated() -> None:
    counts = articles_per_source(documents(), "M")
    # Jan..Mar 2024 for both dated outlets; d4 has no date and no row
    assert counts["source"].tolist() == ["hespress"] * 3 + ["le360"] * 3
    assert counts["period"].dt.month.tolist() == [1, 2, 3, 1, 2, 3]
    assert counts["n_articles"].tolist() == [1, 0, 1, 1, 0, 0]


def mentions() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["d1", "d1", "d1", "d2", "d3", "d4", "d3"],
        "entity_id": ["dgsn", "dgsn", "tangier", "dgsn", "tangier", "dgsn", None],
        "entity_name": ["الأمن الوطني"] * 3 + ["الأمن الوطني", "طنجة", "الأمن الوطني", None],
    })


def test_source_profile_counts_articles_not_mentions() -> None:
    profile = source_profile(documents(), mentions(), key="entity_id", top_n=1)
    # dgsn is in 3 articles (d1, d2, d4), tangier in 2: top_n=1 keeps dgsn only
    assert profile["item"].unique().tolist() == ["dgsn"]
    by_source = profile.set_index("source")
    assert by_source.loc["hespress", ["n_articles", "articles_with"]].tolist() == [2, 2]
    assert by_source.loc["le360", ["n_articles", "articles_with"]].tolist() == [1, 0]
    assert by_source.loc[UNKNOWN_SOURCE, ["n_articles", "articles_with"]].tolist() == [1, 1]
    assert by_source.loc["hespress", "share"] == 1.0
    assert by_source.loc["hespress", "item_name"] == "الأمن الوطني"


def test_association_test_matches_a_hand_computed_two_by_three_table() -> None:
    # outlets A, B, C with 10, 10, 20 articles, of which 8, 2, 5 mention the item.
    # with = 15, without = 25, N = 40; expected "with" = 3.75, 3.75, 7.5 and
    # "without" = 6.25, 6.25, 12.5.
    # chi2 = 4.25²/3.75 + 4.25²/6.25 + 1.75²/3.75 + 1.75²/6.25 + 2.5²/7.5 + 2.5²/12.5
    #      = 4.81667 + 2.89 + 0.81667 + 0.49 + 0.83333 + 0.5 = 10.34667, dof = 2,
    # p = exp(-chi2 / 2) (chi-square with 2 dof) = 0.0056657.
    # G2 = 2 * (8 ln(8/3.75) + 2 ln(2/6.25) + 2 ln(2/3.75) + 8 ln(8/6.25)
    #           + 5 ln(5/7.5) + 15 ln(15/12.5)) = 10.41556
    profile = pd.DataFrame({
        "source": ["A", "B", "C"], "item": "x", "item_name": "x",
        "n_articles": [10, 10, 20], "articles_with": [8, 2, 5],
    })
    result = source_association_test(profile).iloc[0]
    assert result["chi2"] == pytest.approx(10.346667, abs=1e-5)
    assert result["dof"] == 2
    assert result["p_value"] == pytest.approx(math.exp(-10.346667 / 2), rel=1e-5)
    assert result["g2"] == pytest.approx(10.415556, abs=1e-5)
    assert result["g2_p_value"] == pytest.approx(math.exp(-10.415556 / 2), rel=1e-5)
    assert result["min_expected"] == pytest.approx(3.75)
    assert bool(result["low_expected"]) is True  # 3.75 < 5
    # Cramér's V = sqrt(10.34667 / 40) = 0.50859
    assert result["cramers_v"] == pytest.approx(0.508593, abs=1e-5)
    # the simulated p-value agrees in order of magnitude and is reproducible
    assert 0 < result["p_monte_carlo"] < 0.02
    assert source_association_test(profile).iloc[0]["p_monte_carlo"] == result["p_monte_carlo"]


def test_association_test_without_variation_is_not_a_test() -> None:
    profile = pd.DataFrame({"source": ["A", "B"], "item": "x", "item_name": "x",
                            "n_articles": [5, 7], "articles_with": [0, 0]})
    result = source_association_test(profile).iloc[0]
    assert math.isnan(result["chi2"]) and result["dof"] == 0


def test_keyness_g2_matches_a_hand_computed_two_by_two_table() -> None:
    # feature in 10 of 100 target tokens and 20 of 400 reference tokens:
    # c = 90, d = 380, N = 500; expected 6, 24, 94, 376 (all >= 5: no Yates correction)
    # G2 = 2 (10 ln(10/6) + 20 ln(20/24) + 90 ln(90/94) + 380 ln(380/376)) = 3.138733,
    # positive because 10 > 6; p = P(chi2_1 > 3.138733) = 0.076453;
    # log ratio = log2((10/100) / (20/400)) = log2(2) = 1
    result = keyness_from_counts({"x": 10, "other": 90}, {"x": 20, "other": 380})
    row = result.set_index("feature").loc["x"]
    assert row["g2"] == pytest.approx(3.138733, abs=1e-5)
    assert row["p"] == pytest.approx(0.076453, abs=1e-5)
    assert row["log_ratio"] == pytest.approx(1.0)
    assert (row["n_target"], row["n_reference"]) == (10, 20)
    assert result.set_index("feature").loc["other", "g2"] == pytest.approx(-3.138733, abs=1e-5)


def test_keyness_applies_quanteda_default_yates_correction_to_small_tables() -> None:
    # a = 3 of 10 target tokens, b = 1 of 40 reference tokens: expected a = 4 * 10 / 50 = 0.8
    # < 5 and |ad - bc| = |3*39 - 1*7| = 110 >= N/2 = 25, so 0.5 moves each cell towards
    # independence: 2.5, 1.5, 7.5, 38.5 with expected 0.8, 3.2, 9.2, 36.8:
    # G2 = 2 (2.5 ln(2.5/0.8) + 1.5 ln(1.5/3.2) + 7.5 ln(7.5/9.2) + 38.5 ln(38.5/36.8))
    #    = 3.836958; without correction 6.307103
    counts = ({"x": 3, "y": 7}, {"x": 1, "y": 39})
    default = keyness_from_counts(*counts).set_index("feature")
    none = keyness_from_counts(*counts, correction="none").set_index("feature")
    assert default.loc["x", "g2"] == pytest.approx(3.836958, abs=1e-5)
    assert none.loc["x", "g2"] == pytest.approx(6.307103, abs=1e-5)
    williams = keyness_from_counts(*counts, correction="williams").set_index("feature")
    # q = 1 + (50/4 + 50/46 - 1)(50/10 + 50/40 - 1) / (6 * 50) = 1 + 12.58696 * 5.25 / 300
    #   = 1.220272
    assert williams.loc["x", "g2"] == pytest.approx(6.307103 / 1.220272, abs=1e-4)


def test_keyness_tokens_drop_stop_words_single_letters_and_numbers() -> None:
    tokens = keyness_tokens("وقالت الداخلية في بلاغ 2024 و ب ٢٠٢٤")
    assert tokens == ["وقالت", "الداخليه", "بلاغ"]


def test_keyness_of_an_outlet_against_the_others() -> None:
    result = keyness(documents(), "hespress").set_index("feature")
    # الداخليه: 2 times in hespress, 0 elsewhere -> over-represented (positive G2)
    assert result.loc["الداخليه", ["n_target", "n_reference"]].tolist() == [2, 0]
    assert result.loc["الداخليه", "g2"] > 0
    assert result.loc["المنتخب", "g2"] < 0
    assert "في" not in result.index and "2024" not in result.index
    with pytest.raises(ValueError):
        keyness(documents(), "no-such-outlet")


def test_entity_keyness_counts_mentions() -> None:
    result = entity_keyness(documents(), mentions(), "hespress").set_index("feature")
    # hespress: dgsn 3 mentions, tangier 1; others: dgsn 1 (d4), tangier 1 (d3)
    assert result.loc["dgsn", ["n_target", "n_reference"]].tolist() == [3, 1]
    assert result.loc["tangier", ["n_target", "n_reference"]].tolist() == [1, 1]
    assert result.loc["dgsn", "g2"] > 0 > result.loc["tangier", "g2"]
    assert result.loc["dgsn", "entity_name"] == "الأمن الوطني"

"""Source-comparison figures: content of the drawn cells, labels and empty inputs."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.plots.sources import (  # noqa: E402
    articles_per_source_figure,
    keyness_figure,
    profile_heatmap,
    reuse_matrix_figure,
)
from analysis.plots.style import save_figure  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def profile() -> pd.DataFrame:
    return pd.DataFrame({
        "source": ["hespress", "le360"] * 2, "item": ["dgsn", "dgsn", "rabat", "rabat"],
        "item_name": ["الأمن الوطني", "الأمن الوطني", "الرباط", "الرباط"],
        "n_articles": [40, 10, 40, 10], "articles_with": [30, 1, 4, 5],
        "share": [30 / 40, 1 / 10, 4 / 40, 5 / 10],
    })


def test_profile_heatmap_annotates_counts_and_marks_significant_items(tmp_path) -> None:
    tests = pd.DataFrame({"item": ["dgsn", "rabat"], "p_value": [0.0001, 0.2],
                          "p_monte_carlo": [0.001, 0.03], "low_expected": [False, True]})
    fig = profile_heatmap(profile(), tests)
    assert texts(fig) == ["30/40", "1/10", "4/40", "5/10"]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    # dgsn: p = 0.0001; rabat: expected counts small, so its Monte-Carlo p = 0.03 is used
    assert labels == ["الأمن الوطني *", "الرباط *"]
    written = save_figure(fig, tmp_path / "profile")
    assert all(Path(path).stat().st_size > 0 for path in written.values())


def test_keyness_figure_shows_top_features_on_both_sides() -> None:
    keyness = pd.DataFrame({"feature": ["امن", "طنجه", "منتخب", "مباراه"],
                            "n_target": [30, 12, 1, 0], "n_reference": [5, 2, 40, 25],
                            "g2": [25.0, 9.0, -30.0, -20.0]})
    fig = keyness_figure(keyness, n=1, target="hespress")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["امن", "منتخب"]  # the strongest feature on each side
    assert texts(fig) == ["30/5", "1/40"]


def test_reuse_matrix_figure_labels_direction_and_skips_zero_cells() -> None:
    matrix = pd.DataFrame([[0, 2], [1, 0]], index=pd.Index(["a", "b"], name="earlier"),
                          columns=pd.Index(["a", "b"], name="later"))
    fig = reuse_matrix_figure(matrix)
    assert sorted(texts(fig)) == ["1", "2"]
    assert fig.axes[0].get_ylabel() == "published first (copied)"


def test_articles_per_source_figure_groups_small_outlets() -> None:
    counts = pd.DataFrame({
        "source": [f"outlet{i:02d}" for i in range(11) for _ in range(2)],
        "period": list(pd.to_datetime(["2024-01-01", "2024-02-01"])) * 11,
        "n_articles": [i + 1 for i in range(11) for _ in range(2)],
    })
    fig = articles_per_source_figure(counts)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    # 9 largest outlets (outlet10 .. outlet02) and the 2 smallest merged
    assert legend[0] == "other outlets" and len(legend) == 10
    assert "outlet00" not in legend and "outlet10" in legend


def test_empty_inputs_give_a_message_not_an_error() -> None:
    assert texts(articles_per_source_figure(pd.DataFrame(
        columns=["source", "period", "n_articles"]))) == ["No dated articles"]
    assert texts(reuse_matrix_figure(pd.DataFrame())) == ["No reused passages between documents"]
    assert texts(keyness_figure(pd.DataFrame(columns=["feature", "n_target", "n_reference",
                                                      "g2"]))) == ["No distinctive features"]

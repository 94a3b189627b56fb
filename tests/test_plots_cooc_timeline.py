"""Co-occurrence and timeline figures: content, legibility (no overlapping labels), determinism."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from test_cooccurrence import make_mentions as make_toy_mentions  # noqa: E402
from test_cooccurrence import make_sentences as make_toy_sentences  # noqa: E402
from test_timeline import make_dates, make_documents, make_sentences, make_topic_hits  # noqa: E402
from test_timeline import make_mentions as make_dated_mentions  # noqa: E402

from analysis.cooccurrence import cooccurrence_counts, top_entities  # noqa: E402
from analysis.plots.cooccurrence import (  # noqa: E402
    cluster_order,
    ego_figure,
    heatmap_figure,
    network_figure,
)
from analysis.plots.label_layout import wrap_label  # noqa: E402
from analysis.plots.style import save_figure  # noqa: E402
from analysis.plots.timeline import (  # noqa: E402
    entity_frequency_figure,
    event_timeline_figure,
    learned_topic_share_figure,
    learned_topics_figure,
    topic_heatmap,
    topic_share_figure,
)
from analysis.timeline import entity_frequency, event_timeline, topic_frequency  # noqa: E402

TOPICS = pd.DataFrame({"topic_id": ["terrorism", "economy"], "label_ar": ["الإرهاب", "الاقتصاد"],
                       "label_en": ["Terrorism", "Economy"]})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def all_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def assert_no_overlap(texts: list) -> None:
    renderer = texts[0].figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        pair = f"{texts[i].get_text()!r} / {texts[j].get_text()!r}"
        assert not a.overlaps(b), f"labels overlap: {pair}"


def toy_cooc(window: str = "document") -> pd.DataFrame:
    return cooccurrence_counts(make_toy_mentions(), window, sentences=make_toy_sentences())


def test_network_figure_names_sizes_and_no_label_overlap() -> None:
    cooc = toy_cooc()
    fig = network_figure(cooc, top_entities(make_toy_mentions()), measure="npmi", top_n=4)
    texts = all_texts(fig)
    # NPMI > 0 pairs: F-N, F-H, H-N, H-M -> all four entities drawn, Arabic names as labels
    for name in ("عبد اللطيف حموشي", "لوران نونيز", "المغرب", "فرنسا"):
        assert name in texts
    assert "4 entities, 4 pairs" in " ".join(texts)
    ax = fig.axes[0]
    fig.canvas.draw()
    labels = [t for t in ax.texts if t.get_text() in {"عبد اللطيف حموشي", "لوران نونيز",
                                                       "المغرب", "فرنسا"}]
    assert_no_overlap(labels)
    english = network_figure(cooc, top_entities(make_toy_mentions()), label_lang="en")
    assert "Laurent Nuñez" in all_texts(english)


def test_network_layout_is_deterministic(tmp_path) -> None:
    cooc = toy_cooc("sentence")
    paths = []
    for run in range(2):
        fig = network_figure(cooc, top_entities(make_toy_mentions()), seed=7)
        paths.append(save_figure(fig, tmp_path / f"net{run}", close=True)["svg"])
    first, second = (open(p, "rb").read() for p in paths)
    assert first == second


def test_heatmap_annotates_counts_and_clusters() -> None:
    cooc = toy_cooc()
    fig = heatmap_figure(cooc, top_entities(make_toy_mentions()), top_n=4, measure="npmi")
    texts = all_texts(fig)
    # document window: F-N, F-H, H-N, H-M co-occur twice, F-M and M-N once; each twice (i,j)+(j,i)
    assert sorted(t for t in texts if t.isdigit()) == ["1"] * 4 + ["2"] * 8


def test_cluster_order_keeps_associated_entities_together() -> None:
    ids = ["a", "b", "c", "d"]
    # a-c and b-d strongly associated (0.9), cross pairs weak (-0.5) -> clusters {a,c}, {b,d}
    matrix = pd.DataFrame(-0.5, index=ids, columns=ids)
    matrix.loc["a", "c"] = matrix.loc["c", "a"] = 0.9
    matrix.loc["b", "d"] = matrix.loc["d", "b"] = 0.9
    order = cluster_order(matrix, "npmi")
    assert abs(order.index("a") - order.index("c")) == 1
    assert abs(order.index("b") - order.index("d")) == 1


def test_ego_figure_and_empty_cases() -> None:
    cooc = toy_cooc()
    fig = ego_figure(cooc, "nunez", top_entities(make_toy_mentions()), top_n=3)
    texts = all_texts(fig)
    assert "Strongest partners of لوران نونيز" in texts
    # partners of N: F (count 2), H (2), M (1) -> spoke counts
    assert sorted(t for t in texts if t.isdigit()) == ["1", "2", "2"]
    empty = cooccurrence_counts(make_toy_mentions([]), "sentence", n_windows=3)
    assert "no co-occurring pairs" in all_texts(network_figure(empty))
    assert any("no co-occurring" in t for t in all_texts(ego_figure(empty, "nunez")))


def test_wrap_label_breaks_long_names_in_the_middle() -> None:
    assert wrap_label("المغرب") == "المغرب"
    assert wrap_label("المديرية العامة لمراقبة التراب الوطني") == (
        "المديرية العامة\nلمراقبة التراب الوطني")


def test_topic_share_figure_has_gap_band_and_panels() -> None:
    freq = topic_frequency(make_documents(), make_topic_hits(), "M")
    fig = topic_share_figure(freq, TOPICS, "ar")
    texts = all_texts(fig)
    assert "الإرهاب" in texts and "الاقتصاد" in texts
    share_axes = fig.axes[:2]
    # February has no articles: one grey band per panel, and the line has a NaN gap there
    for ax in share_axes:
        assert len([p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx(
            matplotlib.colors.to_rgb("#e8e8e8"))]) == 1
        y = ax.lines[0].get_ydata()
        assert np.isnan(np.asarray(y, dtype=float)[1])
    # the articles-per-period panel: 2, 0, 2
    bars = [p.get_height() for p in fig.axes[2].patches]
    assert bars == [2, 0, 2]
    assert "Terrorism" in all_texts(topic_share_figure(freq, TOPICS, "en"))
    assert isinstance(topic_heatmap(freq, TOPICS, "ar"), Figure)


def test_entity_and_learned_topic_figures() -> None:
    freq = entity_frequency(make_dated_mentions(), make_documents(), "M", top_n=2)
    fig = entity_frequency_figure(freq, "en")
    assert {"Morocco", "Abdellatif Hammouchi"} <= set(all_texts(fig))
    topics = pd.DataFrame({"topic": [0, 1], "label": ["خلية · تفكيك · داعش", "النمو · معدل"],
                           "terms": [["خلية", "تفكيك", "داعش"], ["النمو", "معدل"]],
                           "weights": [[0.5, 0.4, 0.3], [0.6, 0.2]],
                           "terms_normalized": [["خليه", "تفكيك", "داعش"], ["النمو", "معدل"]]})
    bars = learned_topics_figure(topics)
    assert {"خلية", "تفكيك", "داعش", "النمو", "معدل"} <= set(all_texts(bars))
    learned_freq = pd.DataFrame({
        "period": pd.PeriodIndex(["2015-01", "2015-01"], freq="M"),
        "period_start": pd.to_datetime(["2015-01-01"] * 2), "topic": [0, 1], "n_docs": [2, 2],
        "docs_dominant": [1, 1], "share": [0.5, 0.5], "ci_low": [0.09, 0.09],
        "ci_high": [0.91, 0.91], "mean_share": [0.5, 0.5]})
    share = learned_topic_share_figure(learned_freq, topics)
    assert "Topic 1: خلية · تفكيك · داعش" in all_texts(share)


def test_event_timeline_figure_labels_do_not_overlap() -> None:
    events = event_timeline(make_dates(), make_dated_mentions(), make_sentences(),
                            make_documents())
    # add more events on nearby days so that lanes are needed
    extra = events.loc[events["entity_ids"] != ""].copy()
    shifted = [extra.assign(date=extra["date"] + pd.Timedelta(days=d), doc_id=f"x{d}")
               for d in range(1, 6)]
    many = pd.concat([events, *shifted], ignore_index=True)
    fig = event_timeline_figure(many, top_n=12, label_lang="ar")
    fig.canvas.draw()
    labels = [t for t in fig.axes[0].texts if "article" in t.get_text()]
    assert len(labels) == 12
    assert_no_overlap(labels)
    # 10 Jan 2015: a1 and a3 report Morocco + Hammouchi -> "2 articles"
    assert any("10.01.2015 · 2 articles" in t.get_text() for t in labels)
    empty = event_timeline_figure(events.iloc[0:0])
    assert "no dated events with entities" in all_texts(empty)

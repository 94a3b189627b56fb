"""Tests for analysis.section: what a notebook records for the report."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import stat

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import section as section_module  # noqa: E402
from analysis.section import ReportSection, jsonable, load_sections  # noqa: E402

SENTENCE_1 = "استقبل عبد اللطيف حموشي وفدا أمنيا فرنسيا بالرباط يوم الثلاثاء."
SENTENCE_2 = "وأكد الحموشي على أهمية تبادل المعلومات لمواجهة التهديدات الإرهابية."
SENTENCE_3 = "ونوه وزير الداخلية الفرنسي جيرالد دارمانان بالتعاون مع المغرب."


@pytest.fixture
def shown(monkeypatch):
    """Capture what the section would display in a notebook."""
    displayed: list = []
    monkeypatch.setattr(section_module, "_display", displayed.append)
    return displayed


def entities_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "entity_id": ["hammouchi", "darmanin", "dgsn"],
            "entity_name": ["عبد اللطيف حموشي", "جيرالد دارمانان", "المديرية العامة للأمن الوطني"],
            "mentions": [np.int64(12), np.int64(5), np.int64(3)],
            "share": [0.5, float("nan"), 0.125],
        }
    )


def context_frame() -> pd.DataFrame:
    mention_1, mention_2, mention_3 = "عبد اللطيف حموشي", "الحموشي", "جيرالد دارمانان"
    rows = [
        ("hammouchi", "d1", "هسبريس", SENTENCE_1, mention_1),
        ("hammouchi", "d2", "لو360", SENTENCE_2, mention_2),
        ("hammouchi", "d3", "هسبريس", SENTENCE_1, mention_1),
        ("hammouchi", "d4", "هسبريس", SENTENCE_2, mention_2),  # 4th example: dropped
        ("darmanin", "d5", "اليوم 24", SENTENCE_3, mention_3),
        ("unknown_entity", "d6", "هسبريس", SENTENCE_3, mention_3),  # not in the table
    ]
    return pd.DataFrame(
        [
            {"entity_id": key, "doc_id": doc, "source": src, "sentence": sent,
             "start": sent.index(m), "end": sent.index(m) + len(m)}
            for key, doc, src, sent, m in rows
        ]
    )


def test_jsonable_converts_numpy_missing_and_dates():
    assert jsonable(np.int64(7)) == 7 and type(jsonable(np.int64(7))) is int
    assert jsonable(np.float64(0.25)) == 0.25
    assert jsonable(np.bool_(True)) is True
    assert jsonable(float("nan")) is None
    assert jsonable(pd.NA) is None
    assert jsonable(pd.NaT) is None
    assert jsonable(math.inf) == "inf"
    assert jsonable(pd.Timestamp("2024-03-01")) == "2024-03-01"
    assert jsonable(pd.Timestamp("2024-03-01 18:55")) == "2024-03-01T18:55:00"
    assert jsonable(dt.date(2025, 4, 14)) == "2025-04-14"
    assert jsonable(pd.Period("2024-03", freq="M")) == "2024-03"
    assert jsonable("حموشي") == "حموشي"


def test_finding_records_label_value_detail(tmp_path):
    sec = ReportSection(id="entities", title="Entities", order=2, workdir=tmp_path)
    sec.finding("Most mentioned entity", "عبد اللطيف حموشي", detail="in 31 of 40 articles")
    sec.finding("Distinct entities", np.int64(87))
    assert sec.findings == [
        {"label": "Most mentioned entity", "value": "عبد اللطيف حموشي",
         "detail": "in 31 of 40 articles"},
        {"label": "Distinct entities", "value": 87, "detail": ""},
    ]


@pytest.mark.parametrize("bad", ["../evil", "a b", "", "x/y", "_hidden"])
def test_names_that_are_not_safe_file_names_are_rejected(tmp_path, bad):
    with pytest.raises(ValueError):
        ReportSection(id=bad, title="t", order=1, workdir=tmp_path)
    sec = ReportSection(id="ok", title="t", order=1, workdir=tmp_path)
    with pytest.raises(ValueError):
        sec.table(pd.DataFrame({"a": [1]}), name=bad)


def _bar_figure():
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.barh(["عبد اللطيف حموشي", "جيرالد دارمانان"], [12, 5])
    ax.set_title("الكيانات الأكثر ذكرا")
    return fig


def test_figure_saves_svg_and_png_displays_svg_and_closes(tmp_path, shown):
    sec = ReportSection(id="entities", title="Entities", order=2, workdir=tmp_path)
    fig = _bar_figure()
    svg_path = sec.figure(fig, name="top_entities", caption="Top entities", alt="bars")
    figures = tmp_path / "reports" / "figures"
    assert svg_path == figures / "top_entities.svg"
    assert (figures / "top_entities.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(fig.number)
    assert len(shown) == 1 and "<svg" in shown[0].data
    assert sec.blocks == [
        {"type": "figure", "name": "top_entities", "caption": "Top entities", "alt": "bars"}
    ]


def test_figure_output_is_deterministic(tmp_path, shown):
    first = ReportSection(id="a", title="A", order=1, workdir=tmp_path / "one")
    second = ReportSection(id="a", title="A", order=1, workdir=tmp_path / "two")
    one = first.figure(_bar_figure(), name="bars").read_bytes()
    two = second.figure(_bar_figure(), name="bars").read_bytes()
    assert one == two
    assert b"<dc:date>" not in one


def test_table_writes_full_csv_and_keeps_head(tmp_path, shown):
    sec = ReportSection(id="entities", title="Entities", order=2, workdir=tmp_path)
    df = entities_frame()
    csv_path = sec.table(df, name="top_entities", caption="Top", max_rows=2,
                         rtl_columns=["entity_name"])
    raw = csv_path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # plain UTF-8, no BOM
    assert raw.decode("utf-8").splitlines() == [
        "entity_id,entity_name,mentions,share",
        "hammouchi,عبد اللطيف حموشي,12,0.5",
        "darmanin,جيرالد دارمانان,5,",
        "dgsn,المديرية العامة للأمن الوطني,3,0.125",
    ]
    block = sec.blocks[0]
    assert block["rows"] == [
        ["hammouchi", "عبد اللطيف حموشي", 12, 0.5],
        ["darmanin", "جيرالد دارمانان", 5, None],
    ]
    assert block["n_rows"] == 3 and block["csv"] == "tables/top_entities.csv"
    assert block["rtl_columns"] == ["entity_name"] and block["context"] == {}
    assert len(shown) == 1 and shown[0].equals(df.head(2))


def test_table_rejects_unknown_rtl_column(tmp_path, shown):
    sec = ReportSection(id="entities", title="Entities", order=2, workdir=tmp_path)
    with pytest.raises(ValueError, match="columns not in table"):
        sec.table(entities_frame(), name="t", rtl_columns=["name_ar"])
    with pytest.raises(ValueError, match="columns not in table"):
        sec.table(entities_frame(), name="t", show=["no_such_column"])


def test_table_show_limits_displayed_columns_but_csv_has_all(tmp_path, shown):
    sec = ReportSection(id="entities", title="Entities", order=2, workdir=tmp_path)
    frame = entities_frame()
    keep = [frame.columns[0]]
    sec.table(frame, name="t", show=keep)
    block = sec.blocks[-1]
    assert block["columns"] == keep
    assert all(len(row) == 1 for row in block["rows"])
    csv_header = (tmp_path / "reports" / "tables" / "t.csv").read_text("utf-8").splitlines()[0]
    assert csv_header.split(",") == [str(c) for c in frame.columns]


def test_table_context_keeps_three_examples_per_shown_row_in_order(tmp_path, shown):
    sec = ReportSection(id="entities", title="Entities", order=2, workdir=tmp_path)
    sec.table(entities_frame(), name="top", max_rows=2, context=context_frame())
    block = sec.blocks[0]
    assert block["key"] == "entity_id"  # first table column the context also has
    # hammouchi has 4 context rows -> the first 3 (d1, d2, d3); darmanin 1; dgsn none;
    # unknown_entity is not a shown row -> dropped.
    assert sorted(block["context"]) == ["darmanin", "hammouchi"]
    assert [e["doc_id"] for e in block["context"]["hammouchi"]] == ["d1", "d2", "d3"]
    example = block["context"]["darmanin"][0]
    assert example["sentence"][example["start"]:example["end"]] == "جيرالد دارمانان"
    assert example["source"] == "اليوم 24"


def test_table_context_offsets_outside_sentence_raise(tmp_path, shown):
    sec = ReportSection(id="entities", title="Entities", order=2, workdir=tmp_path)
    context = context_frame()
    context.loc[0, "end"] = len(SENTENCE_1) + 1
    with pytest.raises(ValueError, match="outside sentence"):
        sec.table(entities_frame(), name="top", context=context)


def test_table_context_needs_a_shared_key(tmp_path, shown):
    sec = ReportSection(id="entities", title="Entities", order=2, workdir=tmp_path)
    context = context_frame().rename(columns={"entity_id": "eid"})
    with pytest.raises(ValueError, match="key"):
        sec.table(entities_frame(), name="top", context=context)
    with pytest.raises(ValueError, match="lacks columns"):
        sec.table(entities_frame(), name="top", context=context.drop(columns=["sentence"]))


def test_save_is_deterministic_sorted_and_keeps_arabic(tmp_path, shown):
    def record(workdir):
        sec = ReportSection(id="entities", title="الكيانات", order=2, workdir=workdir,
                            intro="Who is named.")
        sec.finding("Most mentioned entity", "عبد اللطيف حموشي")
        sec.text("نص عربي قصير.")
        sec.table(entities_frame(), name="top", context=context_frame())
        return sec.save()

    path = record(tmp_path / "one")
    assert path == tmp_path / "one" / "reports" / "sections" / "2_entities.json"
    text = path.read_text(encoding="utf-8")
    assert "عبد اللطيف حموشي" in text  # ensure_ascii=False
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["schema"] == 1 and data["order"] == 2 and data["title"] == "الكيانات"
    assert record(tmp_path / "two").read_bytes() == path.read_bytes()
    assert [p.name for p in path.parent.iterdir()] == ["2_entities.json"]  # no temp left


def test_saved_files_follow_the_umask(tmp_path, shown):
    previous = os.umask(0o022)
    try:
        sec = ReportSection(id="corpus", title="Corpus", order=1, workdir=tmp_path)
        csv_path = sec.table(pd.DataFrame({"a": [1]}), name="t")
        json_path = sec.save()
    finally:
        os.umask(previous)
    assert stat.S_IMODE(csv_path.stat().st_mode) == 0o644  # 0o666 & ~0o022
    assert stat.S_IMODE(json_path.stat().st_mode) == 0o644


def test_save_failure_keeps_previous_file(tmp_path, monkeypatch):
    sec = ReportSection(id="corpus", title="Corpus", order=1, workdir=tmp_path)
    path = sec.save()
    before = path.read_bytes()
    sec.finding("Articles", 40)

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(section_module.os, "replace", broken_replace)
    with pytest.raises(OSError):
        sec.save()
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["1_corpus.json"]


def test_load_sections_orders_by_order_then_id_and_rejects_duplicates(tmp_path):
    for order, sid in [(3, "cooccurrence"), (1, "corpus"), (2, "sources"), (2, "entities")]:
        ReportSection(id=sid, title=sid, order=order, workdir=tmp_path).save()
    ids = [s["id"] for s in load_sections(tmp_path)]
    assert ids == ["corpus", "entities", "sources", "cooccurrence"]
    ReportSection(id="corpus", title="stale", order=9, workdir=tmp_path).save()
    with pytest.raises(ValueError, match="corpus"):
        load_sections(tmp_path)


def test_load_sections_without_folder_is_empty(tmp_path):
    assert load_sections(tmp_path) == []

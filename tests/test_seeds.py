"""Acceptance checks on the five real scraped articles in ../shared/corpus/seeds.

The articles are third-party text: they are read from ../shared at test time
and never copied into the project. Expected values were read off the articles
by hand (which article names whom, which dates it gives).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analysis.prepare import PrepareSettings, prepare_corpus
from analysis.tables import load_tables

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds not present")

D = dt.date


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict:
    workdir = tmp_path_factory.mktemp("seeds")
    prepare_corpus(PrepareSettings(corpus=SEEDS, workdir=workdir), progress=False)
    return load_tables(workdir)


def _doc(tables: dict, prefix: str):
    documents = tables["documents"]
    return documents[documents["doc_id"].str.startswith(prefix)].iloc[0]


def test_timestamp_article_gets_its_date_and_title(tables):
    doc = _doc(tables, "002_")
    assert doc["published_how"] == "dateline"
    assert doc["published"].date() == D(2025, 4, 14)
    assert doc["title"].startswith("رغم التوترات السياسية المتقطعة")
    removed = tables["removed"]
    reasons = set(removed.loc[removed["doc_id"] == doc["doc_id"], "reason"])
    assert {"ticker", "breaking", "dateline"} <= reasons


def test_other_articles_get_intervals_consistent_with_their_text(tables):
    # 000 reports "22 أبريل المنصرم" next to its 2024 dates: published after 2024-04-22
    doc = _doc(tables, "000_")
    assert doc["published_how"] == "inferred" and doc["published_min"].date() == D(2024, 4, 22)
    # 003: meetings on "الخميس 14 دجنبر" / "الجمعة 15 دجنبر" (2023 by weekday) and the
    # Olympics "المزمع تنظيمها في صيف 2024" still ahead
    doc = _doc(tables, "003_")
    assert doc["published_min"].date() == D(2023, 12, 15)
    assert doc["published_max"].date() <= D(2024, 12, 31)
    # 004 reports the signing "يوم الثلاثاء 24 يونيو 2025"
    doc = _doc(tables, "004_")
    assert doc["published_min"].date() == D(2025, 6, 24)
    # 001 gives no year at all ("دجنبر المنصرم", "الصيف المقبل"): unknown, never today
    doc = _doc(tables, "001_")
    assert doc["published_how"] == "unknown"
    assert pd.isna(doc["published"]) and pd.isna(doc["published_min"])


def test_maghrebi_dates_are_day_level(tables):
    dates = tables["dates"]
    day = dates[dates["granularity"] == "day"]
    found = {(row.text, row.date.date()) for row in day.itertuples()}
    assert ("12 دجنبر 2023", D(2023, 12, 12)) in found
    assert ("الخميس 14 دجنبر", D(2023, 12, 14)) in found  # resolved against 003's date


def test_removed_boilerplate_yields_no_entity(tables):
    removed_text = " ".join(tables["removed"]["text"])
    assert "googletag" in removed_text
    for row in tables["mentions"].itertuples():  # every mention lies in the kept text
        text = _doc(tables, row.doc_id)["text"]
        assert text[row.start:row.end] == row.text


EXPECTED_ENTITIES = {
    # read off each article body by hand
    "000_": {"abdellatif_hammouchi", "frederic_veaux", "gerald_darmanin", "abdelouafi_laftit",
             "felix_bingui", "bnpj", "marrakech", "afp", "moroccan_interior_ministry",
             "paris_2024_olympics", "afcon_2025", "sahel", "france", "morocco", "rabat"},
    "001_": {"abdellatif_hammouchi", "frederic_veaux", "gerald_darmanin", "abdelouafi_laftit",
             "dgsn", "paris_2024_olympics", "afcon_2025", "rabat", "paris", "france", "morocco"},
    "002_": {"abdellatif_hammouchi", "bruno_retailleau", "abdelouafi_laftit", "europe_1",
             "abdelhamid_abaaoud", "paris_attacks_2015", "pegasus", "algeria",
             "moroccan_civil_protection", "paris", "france", "morocco"},
    "003_": {"abdellatif_hammouchi", "frederic_veaux", "nicolas_lerner", "jeune_afrique",
             "paris_2024_olympics", "rabat", "paris"},
    "004_": {"abdellatif_hammouchi", "louis_laugier", "christophe_lecourtier",
             "legion_of_honour", "dgsn", "dgst", "rabat", "france", "morocco"},
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED_ENTITIES))
def test_named_actors_are_found_and_linked(tables, prefix):
    doc_id = _doc(tables, prefix)["doc_id"]
    mentions = tables["mentions"]
    found = set(mentions.loc[mentions["doc_id"] == doc_id, "entity_id"])
    assert EXPECTED_ENTITIES[prefix] <= found, EXPECTED_ENTITIES[prefix] - found


def test_hammouchi_spellings_link_to_one_id_in_all_articles(tables):
    mentions = tables["mentions"]
    hammouchi = mentions[mentions["entity_id"] == "abdellatif_hammouchi"]
    assert hammouchi["doc_id"].nunique() == 5
    surfaces = set(hammouchi["text"])
    assert any("الحموشي" in s for s in surfaces)  # with the article (001)
    assert any("حموشي" in s and "الحموشي" not in s for s in surfaces)  # without it

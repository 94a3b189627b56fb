"""End to end: the CLI on the demo corpus, a hostile corpus and the real seed articles.

These run the whole pipeline (prepare + five notebooks + report) in temporary
work directories, so they are marked slow; `make test` runs them.
"""

from __future__ import annotations

import html.parser
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cache import read_manifest
from analysis.tables import TABLE_NAMES, load_tables

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "raw" / "demo"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
EXPECTED_CSV = (
    "cooccurrence.csv", "topic_frequency.csv", "learned_topics.csv", "events.csv",
    "reuse.csv", "quotes.csv", "cited_sources.csv",
)

pytestmark = pytest.mark.slow


def run_cli(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=1200,
    )
    return result


def _assert_ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("demo")
    _assert_ok(run_cli("run", "--corpus", str(DEMO), "--workdir", str(workdir), "--quiet"))
    return workdir


def test_demo_run_writes_tables_figures_and_report(demo_run):
    processed = demo_run / "data" / "processed"
    for name in TABLE_NAMES:
        assert (processed / f"{name}.parquet").exists(), name
    reports = demo_run / "reports"
    for name in EXPECTED_CSV:
        assert (reports / "tables" / name).exists(), name
    assert len(list((reports / "figures").glob("*.svg"))) >= 10
    for notebook in sorted((ROOT / "notebooks").glob("0*.ipynb")):
        assert (reports / "notebooks" / notebook.name).exists()
    report = (reports / "report.html").read_text("utf-8")
    for title in ("Corpus and data quality", "Entities", "Who appears with whom",
                  "Topics over time", "Source comparison", "Provenance"):
        assert title in report, title


def test_demo_tables_hold_what_the_demo_corpus_contains(demo_run):
    tables = load_tables(demo_run)
    documents = tables["documents"]
    assert len(documents) >= 40
    assert documents["source"].nunique() >= 5
    assert set(documents["published_how"]) >= {"metadata", "dateline", "inferred", "unknown"}
    assert {"cp1256", "utf-8-sig"} <= set(documents["encoding"])
    mentions = tables["mentions"]
    text = documents.set_index("doc_id")["text"]
    for row in mentions.head(200).itertuples():  # offsets index the cleaned text
        assert text[row.doc_id][row.start:row.end] == row.text
    assert (tables["removed"]["reason"].isin(["script", "dateline", "repeated_title"])).any()


def test_second_run_reuses_prepared_tables_and_edit_invalidates(demo_run, tmp_path):
    before = read_manifest(demo_run)
    mtime = (demo_run / "data" / "processed" / "mentions.parquet").stat().st_mtime_ns
    _assert_ok(run_cli("run", "--corpus", str(DEMO), "--workdir", str(demo_run), "--quiet",
                       "-p", "window=document", "-p", "min_count=1"))
    assert (demo_run / "data" / "processed" / "mentions.parquet").stat().st_mtime_ns == mtime
    assert read_manifest(demo_run) == before
    cooc = pd.read_csv(demo_run / "reports" / "tables" / "cooccurrence.csv")
    assert set(cooc["window"]) == {"document"}
    # one article changed -> prepare runs again
    corpus = tmp_path / "corpus"
    shutil.copytree(DEMO, corpus)
    article = sorted(corpus.glob("medwire_*.txt"))[0]
    added = "\nوأكد المصدر ذاته استمرار التنسيق.\n"
    article.write_text(article.read_text("utf-8") + added, "utf-8")
    _assert_ok(run_cli("prepare", "--corpus", str(corpus), "--workdir", str(demo_run), "--quiet"))
    assert read_manifest(demo_run)["fingerprint"]["corpus"] != before["fingerprint"]["corpus"]


def test_prepare_is_byte_identical_across_runs(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for workdir in (first, second):
        _assert_ok(run_cli("prepare", "--corpus", str(DEMO), "--workdir", str(workdir), "--quiet"))
    for name in TABLE_NAMES:
        a = (first / "data" / "processed" / f"{name}.parquet").read_bytes()
        b = (second / "data" / "processed" / f"{name}.parquet").read_bytes()
        assert a == b, name


class _Markup(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = 0
        self.bad_attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad_attributes.append(f"{tag} {name}={value}")


def test_hostile_and_broken_inputs_do_not_stop_the_run(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(DEMO.glob("rabatpress_2024*.txt"))[:3]:
        shutil.copy(path, corpus / path.name)
    (corpus / "payload.txt").write_text(
        "تقرير عن التعاون الأمني بين الرباط وباريس يتضمن نصا مريبا من موقع مخترق.\n"
        "<script>alert(1)</script> وقال عبد اللطيف حموشي إن التعاون متواصل "
        '<img src=x onerror=alert(2)> <a href="javascript:alert(3)">رابط</a>.\n', "utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "broken.json").write_text('{"text": "نص', "utf-8")
    (corpus / "slides.pdf").write_bytes(b"%PDF-1.4")
    originals = {p.name: p.read_bytes() for p in corpus.iterdir()}
    workdir = tmp_path / "work"
    _assert_ok(run_cli("run", "--corpus", str(corpus), "--workdir", str(workdir), "--quiet"))
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == originals  # never modified
    problems = load_tables(workdir)["problems"]
    assert {"empty.txt", "binary.txt", "broken.json", "slides.pdf"} <= set(problems["path"])
    report = (workdir / "reports" / "report.html").read_text("utf-8")
    markup = _Markup()
    markup.feed(report)
    assert markup.scripts == 0
    assert markup.bad_attributes == []
    assert "&lt;script&gt;" in report
    assert "broken.json" in report  # the problems table is in the report


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds not present")
def test_seed_articles_produce_a_complete_report(tmp_path):
    _assert_ok(run_cli("run", "--corpus", str(SEEDS), "--workdir", str(tmp_path), "--quiet",
                       "-p", "window=document", "-p", "min_count=1"))
    report = tmp_path / "reports" / "report.html"
    assert report.exists()
    tables = load_tables(tmp_path)
    assert len(tables["documents"]) == 5
    cooc = pd.read_csv(tmp_path / "reports" / "tables" / "cooccurrence.csv")
    mentions = tables["mentions"]
    # hand count: the Moroccan security chief and the French national police chief (DGPN)
    docs_with = {
        entity: set(mentions.loc[mentions["entity_id"] == entity, "doc_id"])
        for entity in ("abdellatif_hammouchi", "frederic_veaux")
    }
    expected = len(docs_with["abdellatif_hammouchi"] & docs_with["frederic_veaux"])
    pair = cooc[(cooc["entity_a"].isin(docs_with)) & (cooc["entity_b"].isin(docs_with))]
    assert expected == 3  # seeds 000, 001 and 003 name both
    assert pair["docs"].tolist() == [expected]

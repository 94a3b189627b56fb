"""Tests for analysis.report: one self-contained, escaped HTML report."""

from __future__ import annotations

import base64
from html.parser import HTMLParser
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import section as section_module  # noqa: E402
from analysis.report import CSP, bidi, build_report, format_value  # noqa: E402
from analysis.section import ReportSection  # noqa: E402

SCRIPT = "<script>alert(1)</script>"
ONERROR = "<img src=x onerror=alert(1)>"
JS_LINK = '<a href="javascript:alert(1)">x</a>'
PAYLOADS = (SCRIPT, ONERROR, JS_LINK)
# An article sentence carrying all three payloads around an entity mention.
MENTION = "عبد اللطيف حموشي"
HOSTILE_SENTENCE = f"استقبل {MENTION} {SCRIPT} وفدا {ONERROR} أمنيا {JS_LINK} بالرباط."
PROVENANCE = {
    "corpus": "data/raw/demo",
    "corpus_fingerprint": "sha256:5d41402abc4b2a76",
    "n_documents": 3,
    "git_commit": "0123abc",
    "python_version": "3.11.2",
    "run_started": "2025-04-14 18:55 UTC",
    "package_versions": {"pandas": "3.0.0", "jinja2": "3.1.6"},
    "parameters": {"window": "sentence", "top_n": 25, "sources": ["هسبريس", SCRIPT]},
}


def build_sections(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Record sections whose corpus text carries the payloads everywhere it can go."""
    monkeypatch.setattr(section_module, "_display", lambda obj: None)
    entities = ReportSection(id="entities", title="Entities", order=2, workdir=workdir,
                             intro=f"Intro with {SCRIPT}.\n\nنص عربي يذكر {MENTION}.")
    entities.finding("Most mentioned entity", MENTION, detail=f"detail {ONERROR}")
    entities.finding(f"Label {JS_LINK}", SCRIPT)
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["حموشي", "دارمانان"], [3, 1])
    entities.figure(fig, name="bars", caption=f"Caption {SCRIPT} {MENTION}",
                    alt='alt " onload="alert(1)')
    table = pd.DataFrame({
        "entity_id": ["hammouchi", "payload"],
        "entity_name": [MENTION, f"{ONERROR} حموشي"],
        "note": [JS_LINK, SCRIPT],
        "docs": [3, 1],
    })
    start = HOSTILE_SENTENCE.index(MENTION)
    context = pd.DataFrame([
        {"entity_id": "hammouchi", "doc_id": "d1", "source": f"هسبريس {SCRIPT}",
         "sentence": HOSTILE_SENTENCE, "start": start, "end": start + len(MENTION)},
        {"entity_id": "payload", "doc_id": JS_LINK, "source": None,
         "sentence": HOSTILE_SENTENCE, "start": 0, "end": 6},
    ])
    entities.table(table, name="top_entities", caption=f"Table {JS_LINK}",
                   rtl_columns=["entity_name"], context=context)
    entities.text(f"{ONERROR} paragraph with {MENTION}")
    entities.save()
    corpus = ReportSection(id="corpus", title="Corpus and data quality", order=1,
                           workdir=workdir)
    corpus.finding("Articles analysed", 3, detail="from 2 outlets")
    corpus.save()


class Collector(HTMLParser):
    """Elements, attributes and text of a page, with the open elements at each text."""

    VOID = {"meta", "img", "br", "hr", "link", "input", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, list[tuple[str, dict[str, str | None]]]]] = []

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs))
        self.tags.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if data.strip():
            self.texts.append((data, list(self.stack)))


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


@pytest.fixture
def report(tmp_path, monkeypatch) -> tuple[Path, str, Collector]:
    build_sections(tmp_path, monkeypatch)
    path = build_report(tmp_path, PROVENANCE)
    html = path.read_text(encoding="utf-8")
    return path, html, parse(html)


def test_report_is_written_to_reports_folder(report, tmp_path):
    path, html, _ = report
    assert path == tmp_path / "reports" / "report.html"
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")


def test_no_payload_survives_as_markup(report):
    _, _, page = report
    assert [tag for tag, _ in page.tags if tag == "script"] == []
    assert [tag for tag, _ in page.tags if tag == "a" and "javascript" in str(_)] == []
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name)
    # the only <img> is the figure, and its src is a data URI
    assert [t for t, _ in page.tags if t == "img"] == ["img"]


def test_payloads_are_visible_as_escaped_text(report):
    _, html, page = report
    text = "".join(data for data, _ in page.texts)
    for payload in PAYLOADS:
        assert payload in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    alt = next(attrs["alt"] for tag, attrs in page.tags if tag == "img")
    assert alt == 'alt " onload="alert(1)'  # quote escaped inside the attribute


def test_content_security_policy_and_no_network_loads(report):
    _, _, page = report
    metas = [a for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert metas == [{"http-equiv": "Content-Security-Policy", "content": CSP}]
    assert "default-src 'none'" in CSP and "img-src data:" in CSP
    for tag, attrs in page.tags:
        assert tag not in {"script", "link", "iframe", "object", "embed", "base", "form"}
        for name in ("src", "href", "srcset", "action", "poster", "data"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith(("data:", "#")), (tag, name, value[:60])
                assert "http://" not in value and "https://" not in value


def test_every_arabic_text_is_inside_an_rtl_arabic_element(report):
    _, _, page = report
    arabic_texts = 0
    for data, stack in page.texts:
        if any("\u0621" <= ch <= "\u064a" for ch in data):
            names = [tag for tag, _ in stack]
            if "head" in names:
                continue
            arabic_texts += 1
            assert any(a.get("lang") == "ar" and a.get("dir") == "rtl" for _, a in stack), data
    assert arabic_texts >= 10


def test_arabic_cells_carry_dir_rtl_and_latin_cells_do_not(report):
    _, _, page = report
    table_id = "table-entities-top_entities"
    cells = {
        data: next(element for element in reversed(stack) if element[0] == "td")
        for data, stack in page.texts
        if any(t == "td" for t, _ in stack) and any(a.get("id") == table_id for _, a in stack)
    }
    tag, attrs = cells[MENTION]
    assert (tag, attrs.get("dir"), attrs.get("lang")) == ("td", "rtl", "ar")
    assert cells["hammouchi"][1].get("dir") is None
    numbers = [a for d, (t, a) in cells.items() if d == "3"]
    assert numbers and numbers[0].get("class") == "num"


def test_context_sentence_highlights_only_the_mention(report):
    _, html, page = report
    marks = [data for data, stack in page.texts if stack and stack[-1][0] == "mark"]
    assert MENTION in marks
    assert "استقبل" in marks  # second example: offsets 0..6 of the sentence
    quote = next(stack for data, stack in page.texts if data == MENTION and stack[-1][0] == "mark")
    assert any(t == "blockquote" and a.get("dir") == "rtl" for t, a in quote)
    assert "<summary>" in html and "<details>" in html


def test_sections_summary_method_provenance_in_reading_order(report):
    _, html, _ = report
    positions = [html.index(f'id="{anchor}"') for anchor in
                 ("summary", "sec-corpus", "sec-entities", "method", "provenance")]
    assert positions == sorted(positions)
    for anchor in ("#summary", "#sec-corpus", "#sec-entities", "#method", "#provenance"):
        assert f'href="{anchor}"' in html
    summary = html[positions[0]:positions[1]]
    assert "Articles analysed" in summary and MENTION in summary
    provenance = html[positions[4]:]
    for value in ("sha256:5d41402abc4b2a76", "0123abc", "3.11.2", "3.0.0", "jinja2"):
        assert value in provenance
    method = html[positions[3]:positions[4]]
    assert "top_n" in method and "NPMI" in method


def test_figure_is_inlined_as_svg_data_uri(report, tmp_path):
    _, _, page = report
    src = next(attrs["src"] for tag, attrs in page.tags if tag == "img")
    prefix = "data:image/svg+xml;base64,"
    assert src.startswith(prefix)
    svg = (tmp_path / "reports" / "figures" / "bars.svg").read_bytes()
    assert base64.b64decode(src[len(prefix):]) == svg


def test_png_is_the_fallback_and_a_missing_figure_is_reported(report, tmp_path):
    figures = tmp_path / "reports" / "figures"
    (figures / "bars.svg").unlink()
    html = build_report(tmp_path, PROVENANCE).read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html
    (figures / "bars.png").unlink()
    html = build_report(tmp_path, PROVENANCE).read_text(encoding="utf-8")
    assert "<img" not in html and "figures/bars.svg</code> is missing" in html


def test_same_inputs_give_byte_identical_html(tmp_path, monkeypatch):
    build_sections(tmp_path / "one", monkeypatch)
    build_sections(tmp_path / "two", monkeypatch)
    first = build_report(tmp_path / "one", PROVENANCE).read_bytes()
    again = build_report(tmp_path / "one", PROVENANCE).read_bytes()
    other = build_report(tmp_path / "two", PROVENANCE).read_bytes()
    assert first == again == other


def test_failed_write_keeps_previous_report(report, tmp_path, monkeypatch):
    path, html, _ = report

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(section_module.os, "replace", broken_replace)
    with pytest.raises(OSError):
        build_report(tmp_path, {**PROVENANCE, "git_commit": "fff0000"})
    assert path.read_text(encoding="utf-8") == html
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_report_without_sections_still_builds(tmp_path):
    html = build_report(tmp_path, {"parameters": {}}).read_text(encoding="utf-8")
    assert "no analysis section was found" in html
    assert 'id="method"' in html and 'id="provenance"' in html


def test_bidi_wraps_arabic_runs_and_escapes_everything():
    assert bidi("in 31 of 40 articles") == "in 31 of 40 articles"
    assert bidi("عبد اللطيف حموشي") == '<bdi lang="ar" dir="rtl">عبد اللطيف حموشي</bdi>'
    assert bidi("قال عبد اللطيف حموشي in Rabat, 2024") == (
        '<bdi lang="ar" dir="rtl">قال عبد اللطيف حموشي</bdi> in Rabat, 2024'
    )
    assert bidi("<b>حموشي</b>") == '&lt;b&gt;<bdi lang="ar" dir="rtl">حموشي</bdi>&lt;/b&gt;'
    assert bidi(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234, "1,234"),        # thousands separator
        (1234.6, "1,235"),      # >= 100: no decimals
        (11.4, "11.4"),         # 1..100: up to 2 decimals, trailing zeros dropped
        (3.0, "3"),
        (0.01234, "0.0123"),    # < 1: 3 significant digits
        (0.0, "0"),
        (None, "—"),
        (True, "yes"),
        ("حموشي", "حموشي"),
    ],
)
def test_format_value(value, expected):
    assert format_value(value) == expected


def test_example_label_joins_the_rtl_columns_of_a_pair(tmp_path):
    from analysis.report import _row_examples

    table = {
        "key": "pair", "columns": ["name_a", "name_b", "count"],
        "rtl_columns": ["name_a", "name_b"], "rows": [["فرنسا", "المغرب", 18]],
        "row_keys": ["france + morocco"],
        "context": {"france + morocco": [{"doc_id": "d", "source": "s", "sentence": "x",
                                          "start": 0, "end": 1}]},
    }
    assert _row_examples(table)[0]["label"] == "فرنسا · المغرب"

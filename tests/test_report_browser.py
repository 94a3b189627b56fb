"""Open the generated report in headless Chromium (Debian's `chromium` package).

Skipped with a reason where Chromium is absent, unless the CI environment
variable is set: there a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import section as section_module  # noqa: E402
from analysis.browser import PageCheck, find_chromium, inspect_report, screenshot  # noqa: E402
from analysis.report import CSP, build_report  # noqa: E402
from analysis.section import ReportSection  # noqa: E402

SCRIPT = "<script>alert(1)</script>"
ONERROR = "<img src=x onerror=alert(2)>"
JS_LINK = '<a href="javascript:alert(3)">x</a>'
REMOTE = '<img src="https://example.org/pixel.png">'
MENTION = "جيرالد دارمانان"
SENTENCE = f"ونوه وزير الداخلية الفرنسي {MENTION} {SCRIPT} بالتعاون {ONERROR} مع المغرب {JS_LINK}."


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but chromium is not installed: apt-get install chromium")
        pytest.skip("chromium not installed")
    return found


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("browser")
    mp = pytest.MonkeyPatch()
    mp.setattr(section_module, "_display", lambda obj: None)
    try:
        sec = ReportSection(id="entities", title="Entities", order=2, workdir=workdir,
                            intro=f"نص تمهيدي عن {MENTION} {REMOTE}")
        sec.finding("Most mentioned entity", MENTION, detail=f"in 3 of 4 articles {SCRIPT}")
        fig, ax = plt.subplots(figsize=(4, 2.5))
        ax.barh(["عبد اللطيف حموشي", MENTION], [4, 3])
        sec.figure(fig, name="top", caption=f"الكيانات الأكثر ذكرا {ONERROR}")
        start = SENTENCE.index(MENTION)
        sec.table(
            pd.DataFrame({"entity_id": ["darmanin"], "entity_name": [MENTION],
                          "note": [REMOTE + JS_LINK], "docs": [3]}),
            name="top", caption=f"Top {SCRIPT}", rtl_columns=["entity_name"],
            context=pd.DataFrame([{"entity_id": "darmanin", "doc_id": "d1",
                                   "source": "هسبريس", "sentence": SENTENCE,
                                   "start": start, "end": start + len(MENTION)}]),
        )
        sec.save()
    finally:
        mp.undo()
    return build_report(workdir, {"corpus": "demo", "parameters": {"window": "sentence"}})


@pytest.fixture(scope="module")
def page(chromium, report_html) -> PageCheck:
    return inspect_report(report_html, report_html.parent / "screenshot.png")


def test_renders_without_console_errors(page):
    assert page.console_errors == []
    assert page.facts["images"] == 1 and page.facts["images_broken"] == 0


def test_makes_no_network_request(page, report_html):
    assert page.requests[0] == report_html.resolve().as_uri()  # events were recorded
    assert page.network_requests == []


def test_payloads_stay_inert(page):
    assert page.dialogs == []
    assert page.facts["scripts"] == 0
    assert page.facts["event_handlers"] == 0
    assert page.facts["javascript_urls"] == 0
    assert page.facts["csp"] == CSP


def test_arabic_is_laid_out_right_to_left(page):
    facts = page.facts
    assert facts["lang"] == "en"
    assert facts["arabic_elements"] >= 5
    assert facts["arabic_rtl"] == facts["arabic_elements"]
    first_x, last_x = facts["arabic_first_last_x"]
    assert first_x > last_x  # the first letter is drawn right of the last one
    assert MENTION in facts["mark_text"]


def test_example_sentences_fold_on_screen_and_print_open(page):
    assert page.screen_facts == {"total": 1, "visible": 0}
    assert page.print_facts == {"total": 1, "visible": 1}


def test_screenshot_of_first_screen(page, report_html):
    shot = report_html.parent / "screenshot.png"
    assert png_size(shot) == (1280, 900)
    again = screenshot(report_html, report_html.parent / "again.png", width=800, height=600)
    assert png_size(again) == (800, 600)


def test_checks_detect_a_hostile_page(chromium, tmp_path):
    """Control: the same checks catch a script, a dialog, an error and a network load."""
    hostile = tmp_path / "hostile.html"
    hostile.write_text(
        "<!DOCTYPE html><html><body><p onclick=\"x()\">x</p>"
        "<script>console.error('boom'); alert('hi');</script>"
        '<img src="http://example.invalid/pixel.png"></body></html>',
        encoding="utf-8",
    )
    seen = inspect_report(hostile)
    assert seen.dialogs == ["hi"]
    assert any("boom" in error for error in seen.console_errors)
    assert seen.network_requests == ["http://example.invalid/pixel.png"]
    assert seen.facts["scripts"] == 1 and seen.facts["event_handlers"] == 1


def test_missing_configured_browser_is_reported(monkeypatch, tmp_path):
    from analysis.browser import ChromiumError

    monkeypatch.setenv("ANALYSIS_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert find_chromium() is None
    with pytest.raises(ChromiumError, match="chromium not found"):
        inspect_report(tmp_path / "report.html")

"""The runner: parameter validation before execution, failures named, previous report kept."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analysis.runner import RunError, run

DEMO = Path(__file__).resolve().parents[1] / "data" / "raw" / "demo"


def _notebook(path: Path, cells: list[str]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell(
        'corpus = "../data/raw/demo"  # corpus folder\n'
        'workdir = ".."  # work directory\n'
        "threshold = 3  # a number the cells use\n"
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)


@pytest.fixture()
def books(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder / "01_ok.ipynb", [
        "from analysis.section import ReportSection",
        "s = ReportSection(id='ok', title='Fine', order=1, workdir=workdir)\n"
        "s.finding('threshold', threshold)\ns.save()",
    ])
    _notebook(folder / "02_fails.ipynb", ["x = 1", "assert threshold < 5, 'threshold too high'"])
    return folder


@pytest.mark.slow
def test_failing_notebook_is_named_with_cell_and_previous_report_stays(tmp_path, books):
    workdir = tmp_path / "work"
    report = workdir / "reports" / "report.html"
    report.parent.mkdir(parents=True)
    report.write_text("previous report", "utf-8")
    with pytest.raises(RunError) as info:
        run(DEMO, workdir, {"threshold": 7}, progress=False, notebook_dir=books)
    message = str(info.value)
    assert "02_fails.ipynb" in message and 'cell 3 ("assert threshold' in message
    assert "AssertionError: threshold too high" in message
    assert report.read_text("utf-8") == "previous report"
    # the same notebooks with a valid value run through and replace the report
    run(DEMO, workdir, {"threshold": 2}, progress=False, notebook_dir=books)
    assert "Fine" in report.read_text("utf-8")


def test_wrong_parameter_type_fails_before_any_notebook_runs(tmp_path, books):
    with pytest.raises(Exception, match="threshold: expected int"):
        run(DEMO, tmp_path / "work", {"threshold": "high"}, progress=False, notebook_dir=books)
    assert not (tmp_path / "work" / "data").exists()

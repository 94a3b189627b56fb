"""Notebook parameters: read from the `parameters` cell, validated before a run."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analysis.parameters import (
    ParameterError,
    describe_parameters,
    notebook_parameters,
    parse_cli_value,
    read_parameters,
    validate_parameters,
)


def _notebook(path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), cell, nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(nb, path)
    return path


CELL = '''window = "sentence"  # sentence, paragraph or document
min_count = 2  # rarest pair shown
alpha = 0.05  # significance level
sources = []  # outlets to keep (empty = all)
focus = None  # entity id for the ego network
discover = True  # keep candidate actors
'''


def test_read_parameters_gets_defaults_and_comments():
    rows = read_parameters(CELL)
    assert rows[0] == ("window", "sentence", "sentence, paragraph or document")
    assert rows[1] == ("min_count", 2, "rarest pair shown")
    assert [r[0] for r in rows] == ["window", "min_count", "alpha", "sources", "focus", "discover"]


def test_parameters_cell_must_hold_plain_literals():
    with pytest.raises(ParameterError, match="plain literal"):
        read_parameters("n = len('abc')  # derived\n")


def test_union_over_notebooks_and_conflicting_defaults(tmp_path):
    a = _notebook(tmp_path / "01_a.ipynb", CELL)
    b = _notebook(tmp_path / "02_b.ipynb", 'min_count = 2  # x\nfreq = "M"  # period\n')
    known = notebook_parameters([a, b])
    assert known["min_count"].notebooks == ("01_a.ipynb", "02_b.ipynb")
    assert known["freq"].default == "M"
    c = _notebook(tmp_path / "03_c.ipynb", "min_count = 3  # other default\n")
    with pytest.raises(ParameterError, match="min_count"):
        notebook_parameters([a, c])


def test_validation_rejects_unknown_names_and_wrong_types(tmp_path):
    known = notebook_parameters([_notebook(tmp_path / "01_a.ipynb", CELL)])
    with pytest.raises(ParameterError, match="unknown parameter.*windw"):
        validate_parameters(known, {"windw": "document"})
    with pytest.raises(ParameterError, match="min_count: expected int"):
        validate_parameters(known, {"min_count": "many"})
    with pytest.raises(ParameterError, match="discover: expected bool"):
        validate_parameters(known, {"discover": 1})
    merged = validate_parameters(
        known, {"min_count": 5, "alpha": 1, "sources": "الرباط بريس, صوت الأطلس"}
    )
    assert merged["min_count"] == 5 and merged["alpha"] == 1.0
    assert merged["sources"] == ["الرباط بريس", "صوت الأطلس"]
    assert merged["window"] == "sentence"  # default kept


def test_cli_values_are_yaml_scalars():
    assert parse_cli_value("3") == 3
    assert parse_cli_value("true") is True
    assert parse_cli_value("[a, b]") == ["a", "b"]
    assert parse_cli_value("document") == "document"


def test_describe_lists_defaults_and_meaning(tmp_path):
    known = notebook_parameters([_notebook(tmp_path / "01_a.ipynb", CELL)])
    text = describe_parameters(known)
    assert "min_count" in text and "rarest pair shown" in text and "'sentence'" in text

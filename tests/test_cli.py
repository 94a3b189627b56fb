"""The command-line contract: one-line reasons, non-zero exits, parameter help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=cwd, capture_output=True, text=True,
        timeout=300,
    )


def test_run_help_lists_notebook_parameters_with_defaults():
    result = _cli("run", "--help")
    assert result.returncode == 0
    assert "notebook parameters" in result.stdout
    for name in ("window", "freq", "min_count", "top_n", "label_lang", "reuse_min_tokens"):
        assert name in result.stdout, name
    assert "'sentence'" in result.stdout  # the default of window


def test_unknown_parameter_fails_before_anything_runs(tmp_path):
    result = _cli("run", "--workdir", str(tmp_path), "-p", "windw=document")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        result.stderr.strip().splitlines()[0]
    ]  # exactly one line
    assert "unknown parameter(s): windw" in result.stderr
    assert not (tmp_path / "data").exists()  # nothing was prepared


def test_wrong_type_fails_with_one_line(tmp_path):
    result = _cli("run", "--workdir", str(tmp_path), "-p", "min_count=many")
    assert result.returncode == 1
    assert "min_count: expected int" in result.stderr


def test_missing_corpus_is_a_one_line_error(tmp_path):
    result = _cli("prepare", "--corpus", str(tmp_path / "nope"), "--workdir", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("error: corpus folder not found")
    assert len(result.stderr.strip().splitlines()) == 1

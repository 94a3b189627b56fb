"""`run`: prepare (cached) + the notebooks with papermill + the HTML report.

Parameters are validated against the notebooks' `parameters` cells before
anything runs. A failing notebook stops the run with a message naming the
notebook, the cell and the error, and the previous report.html stays.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from analysis import __version__
from analysis.cache import prepare_cached
from analysis.corpus import CorpusOptions
from analysis.parameters import (
    notebook_parameters,
    parameters_cell,
    read_parameters,
    validate_parameters,
)
from analysis.prepare import DEFAULT_CODEBOOK, PrepareSettings

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
KERNEL_NAME = "python3"
#: Parameters the runner sets itself from the command line.
RUNNER_PARAMETERS = ("corpus", "workdir")
#: Packages whose versions the report lists.
REPORTED_PACKAGES = (
    "spacy", "pandas", "numpy", "scipy", "scikit-learn", "matplotlib", "seaborn",
    "networkx", "pyarrow", "papermill", "trafilatura", "charset-normalizer", "jinja2",
)


class RunError(RuntimeError):
    """A run that cannot complete; the message is the one line the CLI prints."""


def notebooks(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """The analysis notebooks in execution order (01_..., 02_..., ...)."""
    found = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise RunError(f"no notebooks found in {folder}")
    return found


def known_parameters(folder: Path = NOTEBOOK_DIR):
    """Parameters declared by the notebooks (name -> Parameter)."""
    return notebook_parameters(notebooks(folder))


def resolve_parameters(
    corpus: Path, workdir: Path, values: dict[str, Any], folder: Path = NOTEBOOK_DIR
) -> dict[str, Any]:
    """Full, validated parameter set with absolute paths for corpus, workdir, codebook."""
    known = known_parameters(folder)
    params = validate_parameters(known, values)
    params["corpus"] = str(Path(corpus).resolve())
    params["workdir"] = str(Path(workdir).resolve())
    if "codebook" in params:
        codebook = values.get("codebook")
        params["codebook"] = str(Path(codebook).resolve()) if codebook else str(DEFAULT_CODEBOOK)
    return params


def prepare_settings(params: dict[str, Any], options: CorpusOptions | None, n_process: int = 1):
    """The prepare-affecting subset of the parameters."""
    return PrepareSettings(
        corpus=Path(params["corpus"]),
        workdir=Path(params["workdir"]),
        codebook=Path(params.get("codebook") or DEFAULT_CODEBOOK),
        ner_model=params.get("ner_model") or None,
        discover=bool(params.get("discover", True)),
        options=options,
        n_process=n_process,
    )


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "analysis": __version__}
    for name in REPORTED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(folder: Path = REPO_ROOT) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--short=12", "HEAD"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()
        return out + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


@contextlib.contextmanager
def _kernel_stderr_to(log: Path):
    """Send the kernel's own stderr chatter (it inherits fd 2) to a log file."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "wb") as handle:
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def execute_notebook(notebook: Path, output: Path, params: dict[str, Any]) -> None:
    """Run one notebook with papermill; raise RunError naming notebook, cell and error.

    The kernel's stderr goes to <output>.stderr.log next to the executed notebook.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _kernel_stderr_to(output.with_suffix(".stderr.log")):
            papermill.execute_notebook(
                str(notebook), str(output), parameters=params, kernel_name=KERNEL_NAME,
                cwd=str(notebook.parent), progress_bar=False, log_output=False,
            )
    except PapermillExecutionError as exc:
        raise RunError(
            f"notebook {notebook.name} failed in {_cell_label(output, exc.cell_index)}: "
            f"{exc.ename}: {exc.evalue} - see {output}"
        ) from exc


def _cell_label(executed: Path, index: int) -> str:
    """'cell N (first line)' with N counted from 1 in the notebook as saved.

    papermill inserts an 'injected-parameters' cell after the parameters cell
    (and error banners); they are not counted, so N matches what the researcher
    sees in JupyterLab.
    """
    import nbformat

    try:
        cells = [c for c in nbformat.read(executed, as_version=4).cells
                 if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])]
    except (OSError, ValueError):
        return f"cell {index + 1}"
    injected = [i for i, c in enumerate(cells)
                if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
    number = index + 1 - sum(1 for i in injected if i < index)
    first_line = cells[index].source.strip().splitlines()[0] if cells[index].source.strip() else ""
    return f"cell {number} ({first_line[:60]!r})"


def run(
    corpus: Path,
    workdir: Path,
    values: dict[str, Any],
    options: CorpusOptions | None = None,
    progress: bool = True,
    n_process: int = 1,
    screenshot: bool = False,
    notebook_dir: Path = NOTEBOOK_DIR,
) -> Path:
    """Prepare, execute every notebook, build reports/report.html; return its path."""
    from analysis.report import build_report

    started = time.perf_counter()
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if not Path(corpus).is_dir():
        raise RunError(f"corpus folder not found: {corpus}")
    params = resolve_parameters(corpus, workdir, values, notebook_dir)
    settings = prepare_settings(params, options, n_process)
    summary, manifest = prepare_cached(settings, progress=progress)
    reports = Path(params["workdir"]) / "reports"
    sections = reports / "sections"
    if sections.exists():
        shutil.rmtree(sections)
    books = notebooks(notebook_dir)
    for index, notebook in enumerate(books, start=1):
        if progress:
            print(f"[{index}/{len(books)}] {notebook.name}", flush=True)
        own = {name for name, _, _ in read_parameters(parameters_cell(notebook))}
        execute_notebook(
            notebook,
            reports / "notebooks" / notebook.name,
            {name: value for name, value in params.items() if name in own},
        )
    provenance = {
        "corpus": params["corpus"],
        "corpus_fingerprint": manifest["fingerprint"]["corpus"],
        "codebook_fingerprint": manifest["fingerprint"]["codebook"],
        "prepare": "re-used cached tables" if summary.cached else "ran",
        "parameters": params,
        "package_versions": package_versions(),
        "git_commit": git_commit(),
        "started": started_at.isoformat(),
        "run_seconds": round(time.perf_counter() - started, 1),
    }
    report = build_report(Path(params["workdir"]), provenance)
    if screenshot:
        from analysis.browser import screenshot as take_screenshot

        take_screenshot(report, reports / "screenshot.png")
    return report

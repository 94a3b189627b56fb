"""Re-execute the notebooks in place so their stored outputs match the demo corpus.

nbval compares a fresh execution with these stored outputs in CI, so this is
run on purpose (`make notebooks-refresh`) after a change that alters results.
Execution metadata (timings) is dropped so the files only change when the
outputs do.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from analysis.runner import KERNEL_NAME, NOTEBOOK_DIR, notebooks


def _strip_volatile(notebook: nbformat.NotebookNode) -> None:
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)
    notebook.metadata.pop("papermill", None)
    notebook.metadata.pop("widgets", None)


def refresh_notebooks(folder: Path = NOTEBOOK_DIR, timeout: int = 1200) -> list[Path]:
    """Execute every analysis notebook with its default parameters and save it."""
    done = []
    for path in notebooks(folder):
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(
            notebook, kernel_name=KERNEL_NAME, timeout=timeout,
            resources={"metadata": {"path": str(folder)}},
        )
        client.execute()
        _strip_volatile(notebook)
        tmp = path.with_suffix(".ipynb.tmp")
        nbformat.write(notebook, tmp)
        tmp.replace(path)
        done.append(path)
    return done

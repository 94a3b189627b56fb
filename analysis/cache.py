"""Cache of `prepare`: skip the NLP when nothing that decides its output changed.

The fingerprint covers the bytes of every corpus file, the codebook files, the
parameters that change the tables (corpus options, NER model, discovery), the
package version and the source of the modules `prepare` runs. Analysis-only
parameters (window, freq, ...) are not part of it, so changing them re-uses
the tables; editing one article does not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, is_dataclass
from pathlib import Path

from analysis import __version__
from analysis.prepare import PrepareSettings, PrepareSummary, prepare_corpus, write_manifest
from analysis.tables import TABLE_NAMES, processed_dir

#: Modules whose code decides the processed tables.
PREPARE_MODULES = (
    "arabic.py", "cleaning.py", "codebook.py", "corpus.py", "dates.py", "nlp.py",
    "candidates.py", "candidate_words.py", "prepare.py", "publication.py", "tables.py",
    "formats.py",
    "matching.py", "tokenizer.py",
)


def _hash_files(digest, root: Path, files: list[Path]) -> None:
    for path in files:
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")


def corpus_fingerprint(corpus: Path) -> str:
    """sha256 over the relative paths and bytes of every file in the corpus folder."""
    corpus = Path(corpus)
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    _hash_files(digest, corpus, files)
    return digest.hexdigest()


def prepare_fingerprint(settings: PrepareSettings) -> dict[str, str]:
    """The parts of the cache key, each a hex digest or a plain value."""
    package = Path(__file__).resolve().parent
    code = hashlib.sha256()
    _hash_files(code, package, [package / m for m in PREPARE_MODULES if (package / m).exists()])
    resources = sorted((package / "resources").glob("*"))
    _hash_files(code, package, resources)
    codebook = hashlib.sha256()
    codebook_dir = Path(settings.codebook)
    _hash_files(codebook, codebook_dir, sorted(codebook_dir.glob("*.yml")))
    options = asdict(settings.options) if is_dataclass(settings.options) else settings.options
    params = json.dumps(
        {"options": options, "ner_model": settings.ner_model, "discover": settings.discover},
        sort_keys=True,
        default=str,
    )
    return {
        "corpus": corpus_fingerprint(Path(settings.corpus)),
        "codebook": codebook.hexdigest(),
        "parameters": hashlib.sha256(params.encode("utf-8")).hexdigest(),
        "package_version": __version__,
        "code": code.hexdigest(),
    }


def _manifest_path(workdir: Path) -> Path:
    return processed_dir(workdir) / "_manifest.json"


def read_manifest(workdir: Path) -> dict | None:
    """The manifest written by the last successful prepare, if any."""
    path = _manifest_path(workdir)
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError:
        return None


def prepare_cached(
    settings: PrepareSettings, progress: bool = True, force: bool = False
) -> tuple[PrepareSummary, dict]:
    """Run `prepare` unless the tables on disk were made from the same inputs."""
    fingerprint = prepare_fingerprint(settings)
    manifest = read_manifest(Path(settings.workdir))
    tables_present = all(
        (processed_dir(settings.workdir) / f"{name}.parquet").exists() for name in TABLE_NAMES
    )
    if not force and tables_present and manifest and manifest.get("fingerprint") == fingerprint:
        summary = PrepareSummary(**{**manifest.get("summary", {}), "cached": True})
        return summary, manifest
    summary = prepare_corpus(settings, progress=progress)
    manifest = {
        "fingerprint": fingerprint,
        "corpus": str(settings.corpus),
        "summary": {
            "n_documents": summary.n_documents,
            "n_words": summary.n_words,
            "n_problems": summary.n_problems,
            "seconds": round(summary.seconds, 3),
            "stage_seconds": {k: round(v, 3) for k, v in summary.stage_seconds.items()},
        },
    }
    write_manifest(Path(settings.workdir), manifest)
    return summary, manifest


def ensure_tables(
    corpus: str | Path,
    workdir: str | Path,
    codebook: str | Path | None = None,
    ner_model: str | None = None,
    discover: bool = True,
) -> dict:
    """The processed tables for a notebook: prepared first if missing or stale.

    A researcher can open any notebook and run it top to bottom: the first run
    prepares the corpus, later runs re-use the cached tables.
    """
    from analysis.prepare import DEFAULT_CODEBOOK
    from analysis.tables import load_tables

    settings = PrepareSettings(
        corpus=Path(corpus).resolve(),
        workdir=Path(workdir).resolve(),
        codebook=Path(codebook).resolve() if codebook else DEFAULT_CODEBOOK,
        ner_model=ner_model or None,
        discover=discover,
    )
    prepare_cached(settings, progress=False)
    return load_tables(settings.workdir)

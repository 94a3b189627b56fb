"""`prepare`: a corpus folder -> the processed Parquet tables.

`prepare_batch` is a pure function from a batch of raw documents to fragments
of every table; `prepare_corpus` maps it over the corpus in order (optionally
on several processes), streams the fragments into Parquet files and renames
them into place only when everything is written. The same function could be
mapped over partitions by Dask for a corpus that outgrows one machine.
"""

from __future__ import annotations

import bisect
import json
import logging
import multiprocessing
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
from tqdm import tqdm

from analysis.cleaning import clean_text
from analysis.codebook import Codebook, load_codebook
from analysis.corpus import CorpusOptions, CorpusReader, RawDocument
from analysis.dates import find_dates, parse_metadata_date
from analysis.nlp import annotate, build_pipeline
from analysis.publication import estimate_publication
from analysis.tables import SCHEMAS, TABLE_NAMES, processed_dir, rows_to_arrow

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")
DEFAULT_CODEBOOK = Path(__file__).resolve().parent.parent / "data" / "codebook"


@dataclass(frozen=True)
class PrepareSettings:
    """Everything that decides the content of the processed tables."""

    corpus: Path
    workdir: Path
    codebook: Path = DEFAULT_CODEBOOK
    ner_model: str | None = None
    discover: bool = True
    options: CorpusOptions | None = None
    batch_size: int = 128
    n_process: int = 1


@dataclass
class PrepareSummary:
    """What a prepare run did, for the CLI and the report's provenance."""

    n_documents: int = 0
    n_words: int = 0
    n_problems: int = 0
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    cached: bool = False

    @property
    def words_per_second(self) -> float:
        return self.n_words / self.seconds if self.seconds else 0.0


# --------------------------------------------------------------------------- batch


_WORKER_NLP = None
_WORKER_NAMES: dict[str, str] = {}


def _init_worker(codebook_dir: str, ner_model: str | None, discover: bool) -> None:
    global _WORKER_NLP, _WORKER_NAMES
    codebook = load_codebook(Path(codebook_dir))
    _WORKER_NLP = build_pipeline(codebook, ner_model=ner_model, discover=discover)
    _WORKER_NAMES = english_names(codebook)


def english_names(codebook: Codebook) -> dict[str, str]:
    """entity_id -> Latin display name, for the mentions table."""
    return {entity.id: entity.name_en for entity in codebook.entities}


def _document_row(raw: RawDocument, cleaned, estimate, n_words: int) -> dict:
    return {
        "doc_id": raw.doc_id,
        "source": (raw.source or "").strip() or "unknown",
        "title": cleaned.title or raw.title,
        "url": raw.url,
        "published": estimate.published,
        "published_min": estimate.published_min,
        "published_max": estimate.published_max,
        "published_how": estimate.how,
        "text": cleaned.text,
        "n_words": n_words,
        "n_paragraphs": cleaned.text.count("\n") + 1 if cleaned.text else 0,
        "encoding": raw.encoding,
        "sha256": raw.sha256,
        "path": raw.path,
        "format": raw.fmt,
    }


def _problem(raw: RawDocument, severity: str, message: str) -> dict:
    return {"path": raw.path, "doc_id": raw.doc_id, "severity": severity, "message": message}


def prepare_batch(raws: list[RawDocument], nlp, names_en: dict[str, str]) -> dict[str, list[dict]]:
    """Clean, date and annotate a batch of raw documents -> rows of every table.

    Pure: the output depends only on the inputs. A document that fails is
    listed in `problems` and left out; the rest of the batch goes on.
    """
    out: dict[str, list[dict]] = {name: [] for name in TABLE_NAMES}
    timings = {"clean+dates": 0.0, "nlp": 0.0}
    kept: list[tuple[RawDocument, list]] = []
    t0 = time.perf_counter()
    for raw in raws:
        try:
            cleaned = clean_text(raw.text, title_hint=raw.title)
            if raw.published and parse_metadata_date(raw.published) is None:
                out["problems"].append(
                    _problem(raw, "warning", f"unreadable published date {raw.published!r} ignored")
                )
            estimate = estimate_publication(raw.published, cleaned.dateline, cleaned.text)
            mentioned = find_dates(cleaned.text, reference=estimate.published)
        except Exception as exc:  # one bad article never stops the run
            out["problems"].append(_problem(raw, "error", f"cleaning failed: {exc!r}"))
            continue
        if not cleaned.text.strip():
            out["problems"].append(_problem(raw, "error", "no article text left after cleaning"))
            continue
        out["documents"].append(
            _document_row(raw, cleaned, estimate, len(_WORD.findall(cleaned.text)))
        )
        out["removed"].extend(
            {"doc_id": raw.doc_id, "line_no": r.line_no, "text": r.text, "reason": r.reason}
            for r in cleaned.removed
        )
        kept.append((raw, mentioned))
    t1 = time.perf_counter()
    texts = [(doc["doc_id"], doc["text"]) for doc in out["documents"]]
    for (_raw, mentioned), annotated in zip(kept, annotate(nlp, texts), strict=True):
        out["sentences"].extend(annotated.sentences)
        for mention in annotated.mentions:
            mention["entity_name_en"] = names_en.get(mention["entity_id"], "")
        out["mentions"].extend(annotated.mentions)
        out["topic_hits"].extend(annotated.topic_hits)
        starts = [s["start"] for s in annotated.sentences]
        ids = [s["sent_id"] for s in annotated.sentences]
        for found in mentioned:
            idx = bisect.bisect_right(starts, found.start) - 1
            out["dates"].append(
                {
                    "doc_id": annotated.doc_id,
                    "sent_id": ids[idx] if idx >= 0 else 0,
                    "start": found.start,
                    "end": found.end,
                    "text": found.text,
                    "date": found.date,
                    "granularity": found.granularity,
                    "how": found.how,
                    "relation": found.relation,
                }
            )
    timings["clean+dates"] = t1 - t0
    timings["nlp"] = time.perf_counter() - t1
    out["_timings"] = [timings]  # type: ignore[list-item]
    return out


def _worker_batch(raws: list[RawDocument]) -> dict[str, list[dict]]:
    return prepare_batch(raws, _WORKER_NLP, _WORKER_NAMES)


def _batches(docs: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    batch: list[RawDocument] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --------------------------------------------------------------------------- writing


class _TableWriters:
    """One streaming Parquet writer per table, written under temporary names."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.tmp = {name: folder / f".{name}.parquet.tmp-{os.getpid()}" for name in TABLE_NAMES}
        self.writers = {
            name: pq.ParquetWriter(self.tmp[name], SCHEMAS[name], compression="zstd")
            for name in TABLE_NAMES
        }

    def write(self, name: str, rows: list[dict]) -> None:
        if rows:
            self.writers[name].write_table(rows_to_arrow(name, rows))

    def commit(self) -> None:
        for name in TABLE_NAMES:
            self.writers[name].close()
        for name in TABLE_NAMES:
            os.replace(self.tmp[name], self.folder / f"{name}.parquet")

    def abort(self) -> None:
        for name in TABLE_NAMES:
            try:
                self.writers[name].close()
            finally:
                self.tmp[name].unlink(missing_ok=True)


def prepare_corpus(settings: PrepareSettings, progress: bool = True) -> PrepareSummary:
    """Run cleaning, dating and the NLP pipeline over a corpus; write the tables."""
    started = time.perf_counter()
    corpus = Path(settings.corpus)
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus}")
    codebook = load_codebook(Path(settings.codebook))  # fail early on a bad codebook
    reader = CorpusReader(corpus, settings.options)
    writers = _TableWriters(processed_dir(settings.workdir))
    summary = PrepareSummary()
    stage = {"read": 0.0, "clean+dates": 0.0, "nlp": 0.0}
    bar = tqdm(desc="prepare", unit=" docs", disable=not progress)
    try:
        if settings.n_process > 1:
            ctx = multiprocessing.get_context("fork")
            pool = ctx.Pool(
                settings.n_process,
                initializer=_init_worker,
                initargs=(str(settings.codebook), settings.ner_model, settings.discover),
            )
            results = pool.imap(_worker_batch, _batches(reader, settings.batch_size))
        else:
            pool = None
            nlp = build_pipeline(codebook, ner_model=settings.ner_model, discover=settings.discover)
            names = english_names(codebook)
            results = (prepare_batch(b, nlp, names) for b in _batches(reader, settings.batch_size))
        for fragment in results:
            for key, value in fragment.pop("_timings")[0].items():
                stage[key] += value
            for name in TABLE_NAMES:
                writers.write(name, fragment[name])
            summary.n_documents += len(fragment["documents"])
            summary.n_words += sum(d["n_words"] for d in fragment["documents"])
            summary.n_problems += len(fragment["problems"])
            bar.update(len(fragment["documents"]) + len(fragment["problems"]))
        if pool is not None:
            pool.close()
            pool.join()
        reader_problems = [
            {"path": p.path, "doc_id": p.doc_id, "severity": p.severity, "message": p.message}
            for p in reader.problems
        ]
        writers.write("problems", reader_problems)
        summary.n_problems += len(reader_problems)
        writers.commit()
    except BaseException:
        writers.abort()
        raise
    finally:
        bar.close()
    summary.seconds = time.perf_counter() - started
    stage["read"] = max(0.0, summary.seconds - stage["clean+dates"] - stage["nlp"])
    summary.stage_seconds = stage
    return summary


def write_manifest(workdir: Path, payload: dict) -> None:
    """Record what produced the processed tables (used by the runner's cache)."""
    path = processed_dir(workdir) / "_manifest.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, sort_keys=True, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, path)

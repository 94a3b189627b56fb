"""Throughput benchmarks on ../shared/corpus/saudinewsnet (skipped when absent).

Prints one table: each stage's time, words/s and the ratio to the baseline
measured in the same run (bare `spacy.blank("ar")` tokenisation of the same
texts), plus peak memory. Targets (issue 3/4/5): whole prepare >= 0.6x the
baseline, 31k articles prepared in < 2 min on 2 cores with < 2 GB peak memory,
co-occurrence in seconds, all-pairs reuse in about a minute.

    python -m analysis bench [--limit N]      # or: make bench

How it measures (and why):

* prepare runs as the user runs it, ``python -m analysis prepare --jobs N --force`` in a
  fresh process: a pool forked from this process would inherit the ~1 GB of articles it
  loaded for the baseline, and its workers ran measurably slower for it;
* words/s of every row divide the SAME number, the words of the raw article texts, by the
  stage's seconds, so the ratio is the baseline's time over the stage's time (prepare's own
  count, of the words left after cleaning, would credit it with fewer words than it read);
* peak memory is measured separately for the prepare process, its largest worker and this
  process (which loads every table for the analysis rows).
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAUDI = ROOT.parent / "shared" / "corpus" / "saudinewsnet"
SAUDI_OPTIONS = {"text_field": "content", "published_field": "date_extracted",
                 "source_field": "source"}


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


# Runs the CLI in this very process (so its peak memory is the prepare main process's) and
# prints the peaks of itself and of its largest (pool worker) child as the last line.
_PREPARE_PROBE = (
    "import json, resource, sys\n"
    "from analysis.__main__ import main\n"
    "code = main(sys.argv[1:])\n"
    "me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
    "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "print(json.dumps({'main_mb': me, 'worker_mb': kids}))\n"
    "sys.exit(code)\n"
)


def run_prepare_cli(corpus: Path, workdir: Path, jobs: int) -> tuple[float, dict, dict]:
    """``python -m analysis prepare --jobs N --force`` in a fresh process: wall seconds,
    the manifest summary it wrote and the peak memory of its main process and workers."""
    fields = [f"--{name.replace('_field', '')}-field={value}"
              for name, value in SAUDI_OPTIONS.items()]
    argv = [sys.executable, "-c", _PREPARE_PROBE, "prepare", f"--corpus={corpus}",
            f"--workdir={workdir}", f"--jobs={jobs}", "--force", "--quiet", *fields]
    t0 = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"prepare failed ({done.returncode}): {done.stderr.strip()}")
    peaks = json.loads(done.stdout.strip().splitlines()[-1])
    manifest = json.loads((workdir / "data" / "processed" / "_manifest.json").read_text("utf-8"))
    return seconds, manifest["summary"], peaks


def _row(name: str, seconds: float, words: int, baseline: float | None, note: str = "") -> str:
    rate = words / seconds if seconds else float("inf")
    ratio = f"{rate / baseline:5.2f}x" if baseline else "  1.00x"
    return f"| {name:<34} | {seconds:8.2f} | {rate:12,.0f} | {ratio:>7} | {note}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--jobs", type=int, default=2, help="processes for prepare")
    args = parser.parse_args(argv)
    if not SAUDI.is_dir():
        print(f"skipped: {SAUDI} not found (the benchmark corpus lives in ../shared)")
        return 0

    import spacy

    from analysis.cooccurrence import cooccurrence_counts
    from analysis.corpus import CorpusOptions, CorpusReader
    from analysis.reuse import find_reuse
    from analysis.tables import load_tables

    options = CorpusOptions(**SAUDI_OPTIONS)
    t0 = time.perf_counter()
    raws = list(CorpusReader(SAUDI, options))
    read_s = time.perf_counter() - t0
    if args.limit:
        raws = raws[: args.limit]
    texts = [r.text for r in raws]
    words = sum(len(re.findall(r"\w+", t)) for t in texts)

    tokenizer = spacy.blank("ar").tokenizer
    t0 = time.perf_counter()
    n_tokens = sum(len(doc) for doc in tokenizer.pipe(texts, batch_size=256))
    base_s = time.perf_counter() - t0
    baseline = words / base_s
    del texts, raws
    gc.collect()

    rows = [
        _row("bare spacy.blank('ar') tokenizer", base_s, words, None,
             f"baseline, 1 process, {n_tokens:,} tokens"),
        _row("read corpus (18 JSON files)", read_s, words, baseline, "1 process"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = SAUDI
        if args.limit:
            corpus = Path(tmp) / "subset"
            _write_subset(corpus, args.limit)
        wall, summary, peaks = run_prepare_cli(corpus, Path(tmp), args.jobs)
        stage = summary["stage_seconds"]
        cpu = f"CPU time summed over {args.jobs} processes" if args.jobs > 1 else "1 process"
        rows.append(_row("  prepare: clean + dates", stage["clean+dates"], words, baseline, cpu))
        rows.append(_row("  prepare: spaCy pipeline", stage["nlp"], words, baseline, cpu))
        rows.append(_row(f"prepare, whole ({args.jobs} processes)", wall, words, baseline,
                         f"wall time of the CLI, {summary['n_documents']:,} docs, "
                         f"{summary['n_words']:,} words kept, {summary['n_problems']} problems"))
        tables = load_tables(tmp)
        mentions, sentences = tables["mentions"], tables["sentences"]
        documents = tables["documents"]
        for window in ("sentence", "document"):
            t0 = time.perf_counter()
            pairs = cooccurrence_counts(mentions, window=window, sentences=sentences)
            secs = time.perf_counter() - t0
            rows.append(_row(f"co-occurrence ({window})", secs, words, baseline,
                             f"{len(mentions):,} mentions -> {len(pairs):,} pairs"))
        t0 = time.perf_counter()
        reuse = find_reuse(documents)
        secs = time.perf_counter() - t0
        n_pairs = reuse[["doc_a", "doc_b"]].drop_duplicates().shape[0] if len(reuse) else 0
        rows.append(_row("reuse, all pairs", secs, words, baseline,
                         f"{len(documents):,} docs -> {n_pairs:,} pairs, {len(reuse):,} passages"))
    me, _ = peak_rss_mb()
    print(f"\nSaudiNewsNet: {summary['n_documents']:,} articles, {words:,} words "
          f"(raw text; {summary['n_words']:,} kept after cleaning)\n")
    print(f"| {'stage':<34} | {'seconds':>8} | {'words/s':>12} | {'ratio':>7} | notes")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 14}|{'-' * 9}|------")
    print("\n".join(rows))
    print(f"\npeak memory: prepare {peaks['main_mb']:,.0f} MB (main process), "
          f"{peaks['worker_mb']:,.0f} MB (largest worker); "
          f"this process {me:,.0f} MB (baseline texts + all tables for the analysis rows)")
    return 0


def _write_subset(folder: Path, limit: int) -> None:
    """Copy the first `limit` articles into one JSON file (same fields) for a quick run."""
    folder.mkdir(parents=True)
    rows = []
    for path in sorted(SAUDI.glob("*.json")):
        rows.extend(json.loads(path.read_text("utf-8")))
        if len(rows) >= limit:
            break
    (folder / "subset.json").write_text(json.dumps(rows[:limit], ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    sys.exit(main())

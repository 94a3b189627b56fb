"""Throughput benchmarks on ../shared/corpus/saudinewsnet (skipped when absent).

Prints one table: each stage's time, words/s and the ratio to the baseline
measured in the same run (bare `spacy.blank("ar")` tokenisation of the same
texts), plus peak memory. Targets (issue 3/4/5): whole prepare >= 0.6x the
baseline, 31k articles prepared in < 2 min on 2 cores with < 2 GB peak memory,
co-occurrence in seconds, all-pairs reuse in about a minute.

    python -m analysis bench [--limit N]      # or: make bench
"""

from __future__ import annotations

import argparse
import gc
import re
import resource
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

    from analysis.cache import prepare_cached
    from analysis.cooccurrence import cooccurrence_counts
    from analysis.corpus import CorpusOptions, CorpusReader
    from analysis.prepare import PrepareSettings
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
        settings = PrepareSettings(corpus=corpus, workdir=Path(tmp), options=options,
                                   n_process=args.jobs)
        summary, _ = prepare_cached(settings, progress=False, force=True)
        stage = summary.stage_seconds
        cpu = f"summed over {args.jobs} processes" if args.jobs > 1 else "1 process"
        rows.append(_row("  prepare: clean + dates", stage["clean+dates"], summary.n_words,
                         baseline, f"CPU time {cpu}"))
        rows.append(_row("  prepare: spaCy pipeline", stage["nlp"], summary.n_words, baseline,
                         f"CPU time {cpu}"))
        rows.append(_row(f"prepare, whole ({args.jobs} processes)", summary.seconds,
                         summary.n_words, baseline,
                         f"wall time, {summary.n_documents:,} docs, {summary.n_problems} problems"))
        tables = load_tables(tmp)
        mentions, sentences = tables["mentions"], tables["sentences"]
        documents = tables["documents"]
        for window in ("sentence", "document"):
            t0 = time.perf_counter()
            pairs = cooccurrence_counts(mentions, window=window, sentences=sentences)
            secs = time.perf_counter() - t0
            rows.append(_row(f"co-occurrence ({window})", secs, summary.n_words, baseline,
                             f"{len(mentions):,} mentions -> {len(pairs):,} pairs"))
        t0 = time.perf_counter()
        reuse = find_reuse(documents)
        secs = time.perf_counter() - t0
        n_pairs = reuse[["doc_a", "doc_b"]].drop_duplicates().shape[0] if len(reuse) else 0
        rows.append(_row("reuse, all pairs", secs, summary.n_words, baseline,
                         f"{len(documents):,} docs -> {n_pairs:,} pairs, {len(reuse):,} passages"))
    me, kids = peak_rss_mb()
    print(f"\nSaudiNewsNet: {summary.n_documents:,} articles, {summary.n_words:,} words\n")
    print(f"| {'stage':<34} | {'seconds':>8} | {'words/s':>12} | {'ratio':>7} | notes")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 14}|{'-' * 9}|------")
    print("\n".join(rows))
    print(f"\npeak memory: {me:,.0f} MB (main process), {kids:,.0f} MB (largest worker)")
    return 0


def _write_subset(folder: Path, limit: int) -> None:
    """Copy the first `limit` articles into one JSON file (same fields) for a quick run."""
    import json

    folder.mkdir(parents=True)
    rows = []
    for path in sorted(SAUDI.glob("*.json")):
        rows.extend(json.loads(path.read_text("utf-8")))
        if len(rows) >= limit:
            break
    (folder / "subset.json").write_text(json.dumps(rows[:limit], ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    sys.exit(main())

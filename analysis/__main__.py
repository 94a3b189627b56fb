"""Command line: python -m analysis {prepare,run,report,bench,refresh-notebooks}.

Exit status is 0 on success and 1 with a one-line reason on any failure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_CORPUS = Path("data/raw/demo")
CORPUS_FIELDS = ("id", "text", "source", "published", "title", "url")


def _corpus_options(args: argparse.Namespace):
    from analysis.corpus import CorpusOptions

    given = {
        f"{name}_field": getattr(args, f"{name}_field")
        for name in CORPUS_FIELDS
        if getattr(args, f"{name}_field", None)
    }
    if getattr(args, "default_source", None):
        given["default_source"] = args.default_source
    return CorpusOptions(**given) if given else None


def _add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="folder of articles (default: %(default)s)")
    parser.add_argument("--workdir", type=Path, default=Path("."),
                        help="tables go to WORKDIR/data/processed, the report to "
                        "WORKDIR/reports (default: %(default)s)")
    group = parser.add_argument_group(
        "corpus fields", "names of the fields in json/jsonl/csv articles (or use corpus.yml)"
    )
    for name in CORPUS_FIELDS:
        group.add_argument(f"--{name}-field", dest=f"{name}_field", metavar="NAME")
    group.add_argument("--default-source", metavar="NAME",
                       help="outlet name for articles that give none")
    parser.add_argument("--jobs", type=int, default=1,
                        help="processes for prepare (default: %(default)s)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def _parameter_epilog() -> str:
    try:
        from analysis.parameters import describe_parameters
        from analysis.runner import known_parameters

        return "notebook parameters (-p name=value):\n" + describe_parameters(known_parameters())
    except Exception as exc:  # help must work even if a notebook is broken
        return f"(notebook parameters unavailable: {exc})"


def build_parser(with_parameters: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    prepare = sub.add_parser("prepare", help="corpus -> WORKDIR/data/processed/*.parquet")
    _add_corpus_arguments(prepare)
    prepare.add_argument("--codebook", type=Path, default=None, help="codebook folder")
    prepare.add_argument("--ner-model", default=None, help="name or path of a spaCy pipeline")
    prepare.add_argument("--force", action="store_true", help="ignore the cache")

    run = sub.add_parser(
        "run", help="prepare + notebooks -> WORKDIR/reports/report.html",
        epilog=_parameter_epilog() if with_parameters else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_corpus_arguments(run)
    run.add_argument("--params", type=Path, help="YAML file of parameter values")
    run.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                     help="set one notebook parameter (repeatable)")
    run.add_argument("--screenshot", action="store_true",
                     help="also save reports/screenshot.png with headless Chromium")

    report = sub.add_parser("report", help="rebuild report.html from the last run's sections")
    report.add_argument("--workdir", type=Path, default=Path("."))

    bench = sub.add_parser("bench", help="throughput benchmarks on ../shared/corpus")
    bench.add_argument("--limit", type=int, default=None, help="articles to use (default: all)")

    sub.add_parser("refresh-notebooks",
                   help="re-execute notebooks/ in place on the demo corpus (stored outputs)")
    return parser


def _collect_values(args: argparse.Namespace) -> dict:
    from analysis.parameters import ParameterError, load_params_file, parse_cli_value

    values = load_params_file(args.params) if args.params else {}
    for item in args.param:
        if "=" not in item:
            raise ParameterError(f"-p expects NAME=VALUE, got {item!r}")
        name, raw = item.split("=", 1)
        values[name.strip()] = parse_cli_value(raw)
    for name in ("corpus", "workdir"):
        if name in values:
            raise ParameterError(f"set {name} with --{name}, not as a parameter")
    return values


def _cmd_prepare(args: argparse.Namespace) -> None:
    from analysis.cache import prepare_cached
    from analysis.prepare import DEFAULT_CODEBOOK, PrepareSettings

    settings = PrepareSettings(
        corpus=args.corpus.resolve(), workdir=args.workdir.resolve(),
        codebook=(args.codebook or DEFAULT_CODEBOOK).resolve(), ner_model=args.ner_model,
        options=_corpus_options(args), n_process=args.jobs,
    )
    if not settings.corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {args.corpus}")
    summary, _ = prepare_cached(settings, progress=not args.quiet, force=args.force)
    if not args.quiet:
        how = "re-used cached tables" if summary.cached else f"{summary.seconds:.1f}s"
        print(f"prepared {summary.n_documents} documents, {summary.n_words} words, "
              f"{summary.n_problems} problems ({how}) -> {args.workdir / 'data' / 'processed'}")


def _cmd_run(args: argparse.Namespace) -> None:
    from analysis.runner import run

    report = run(args.corpus, args.workdir, _collect_values(args), options=_corpus_options(args),
                 progress=not args.quiet, n_process=args.jobs, screenshot=args.screenshot)
    print(f"report: {report}")


def _cmd_report(args: argparse.Namespace) -> None:
    from analysis.report import build_report

    print(f"report: {build_report(args.workdir.resolve(), {})}")


def _cmd_bench(args: argparse.Namespace) -> None:
    import runpy

    bench = Path(__file__).resolve().parent.parent / "benchmarks" / "run_all.py"
    sys.argv = [str(bench)] + (["--limit", str(args.limit)] if args.limit else [])
    runpy.run_path(str(bench), run_name="__main__")


def _cmd_refresh(args: argparse.Namespace) -> None:
    from analysis.refresh import refresh_notebooks

    for path in refresh_notebooks():
        print(f"refreshed {path}")


COMMANDS = {"prepare": _cmd_prepare, "run": _cmd_run, "report": _cmd_report,
            "bench": _cmd_bench, "refresh-notebooks": _cmd_refresh}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    wants_run_help = bool(argv) and argv[0] == "run" and any(a in ("-h", "--help") for a in argv)
    args = build_parser(with_parameters=wants_run_help).parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the CLI contract: one line, non-zero exit
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"error: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

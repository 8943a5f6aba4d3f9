"""The `qa eval` subcommand.

    qa eval                                   # bundled eval/announcement.jsonl on the default index
    qa eval my_set.jsonl --index news --json out.json --min-em 0.85 --max-false-abstain 0.1
    qa eval --korquad --split dev-a --mode reader --limit 300
    qa eval --korquad PATH --split dev-b --mode open --json dev-b.json
    qa eval --squad ../shared/data/tydiqa/korean_tydiqa_dev.json --mode reader

Exit codes: 0 ok, 1 a threshold was missed (one `FAIL: ...` line each),
2 bad input (one `error: ...` line).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from ..errors import QAError

_THRESHOLDS = ("min_em", "min_f1", "min_recall3", "min_abstain", "max_false_abstain", "min_dialogue")


def register(subparsers) -> argparse.ArgumentParser:
    """Add `eval` to an argparse subparsers object; dispatch with `args.func(args)`."""
    p = subparsers.add_parser(
        "eval", help="score the pipeline on an evaluation set or on KorQuAD 1.0",
        description="Score answers (EM/F1), retrieval (recall@k, MRR), abstention and latency. "
                    "Rates are in [0, 1]; thresholds too (e.g. --min-em 0.85).")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="JSONL evaluation sets (default: the repo's eval/announcement.jsonl)")
    p.add_argument("--index", metavar="NAME", help="index name to evaluate (default: QA_INDEX_NAME or 'default')")
    p.add_argument("--json", metavar="PATH", help="also write the full report (with failures) as JSON")
    p.add_argument("--min-em", type=float, metavar="X", help="fail (exit 1) when EM is below this")
    p.add_argument("--min-f1", type=float, metavar="X", help="fail when F1 is below this")
    p.add_argument("--min-recall3", type=float, metavar="X", help="fail when recall@3 is below this")
    p.add_argument("--min-abstain", type=float, metavar="X", help="fail when abstain recall is below this")
    p.add_argument("--max-false-abstain", type=float, metavar="X", help="fail when the false abstain rate is above this")
    p.add_argument("--min-dialogue", type=float, metavar="X",
                   help="fail when the share of dialogue turns answered right is below this")
    k = p.add_argument_group("KorQuAD 1.0")
    k.add_argument("--korquad", nargs="?", const="", metavar="PATH",
                   help="evaluate on KorQuAD_v1.0_dev.json (default: ../shared/data/korquad/)")
    k.add_argument("--squad", metavar="PATH",
                   help="evaluate on any SQuAD v1.1-format file, whole (e.g. Korean TyDi QA dev); "
                        "takes --mode and --limit")
    k.add_argument("--split", choices=("dev-a", "dev-b"), default="dev-a",
                   help="dev-a = even articles (tune here), dev-b = odd (held back); default dev-a")
    k.add_argument("--mode", choices=("reader", "open"), default="reader",
                   help="reader: gold paragraph only; open: retrieve over the split's paragraphs")
    k.add_argument("--limit", type=int, metavar="N", help="only the first N questions of the split, in file order")
    k.add_argument("--abstain", action="store_true",
                   help="keep the reader's abstention (default: always answer, every question is answerable); "
                        "abstain_rate is then how often the product says 'not in the documents' wrongly")
    p.add_argument("--reader", choices=("rule", "neural", "hybrid"),
                   help="answer extraction (default: QA_READER or hybrid)")
    p.add_argument("--no-progress", action="store_true", help="hide progress bars")
    from ..cli import add_engine_options, add_span_engine_option
    add_engine_options(p)
    add_span_engine_option(p)
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run the evaluation `args` describe, print the table, return the exit code."""
    try:
        _check_args(args)
        if args.squad is not None:
            report, table = _squad(args)
        elif args.korquad is not None:
            report, table = _korquad(args)
        else:
            report, table = _sets(args)
        report["engine"] = _settings(args).engine
        print(table)
        if args.json:
            write_json_atomic(Path(args.json), report)
    except QAError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        where = f" ({e.filename})" if e.filename else ""
        print(f"error: {e.strerror or e}{where}", file=sys.stderr)
        return 2
    from .runner import check_thresholds
    failed = check_thresholds(report, **{name: getattr(args, name, None) for name in _THRESHOLDS})
    for line in failed:
        print(f"FAIL: {line}")
    return 1 if failed else 0


def _check_args(args) -> None:
    from ..errors import InputError
    for name in _THRESHOLDS:
        value = getattr(args, name, None)
        if value is not None and not 0.0 <= value <= 1.0:
            flag = "--" + name.replace("_", "-")
            raise InputError(f"{flag} {value:g} is out of range: thresholds are fractions in [0, 1], "
                             f"e.g. {flag} {min(value / 100, 1.0):g}")
    if args.squad is not None and args.korquad is not None:
        raise InputError("name either --korquad or --squad, not both")
    flag = "--squad" if args.squad is not None else "--korquad"
    if args.korquad is not None or args.squad is not None:
        if args.files:
            raise InputError(f"name either evaluation files or {flag}, not both")
        if args.index:
            raise InputError(f"--index does not apply to {flag}: it builds and caches its own index of the questions' "
                             "paragraphs")
    elif args.limit is not None or args.abstain:
        raise InputError(f"{'--limit' if args.limit is not None else '--abstain'} applies to --korquad and --squad only")


def _settings(args):
    from ..settings import Settings
    return Settings.from_env().with_(index_name=getattr(args, "index", None), reader=getattr(args, "reader", None),
                                     engine=getattr(args, "engine", None), milvus_uri=getattr(args, "milvus_uri", None),
                                     span_engine=getattr(args, "span_engine", None),
                                     read_spill=getattr(args, "read_spill", None))


def _sets(args) -> tuple[dict, str]:
    from ..pipeline import load_pipeline
    from .dataset import load_records
    from .runner import evaluate, format_table
    records = load_records(args.files)  # validate before the (slower) index load
    report = evaluate(load_pipeline(_settings(args)), records, progress=not args.no_progress)
    return report, format_table(report)


def _korquad(args) -> tuple[dict, str]:
    from .korquad import format_korquad, run_korquad
    report = run_korquad(args.korquad or None, args.split, args.mode, args.limit, settings=_settings(args),
                         abstain=args.abstain,
                         progress=not args.no_progress)
    return report, format_korquad(report)


def _squad(args) -> tuple[dict, str]:
    from .korquad import format_korquad, run_squad
    report = run_squad(args.squad, args.mode, args.limit, settings=_settings(args), progress=not args.no_progress,
                       abstain=args.abstain)
    return report, format_korquad(report).replace("KorQuAD all", f"SQuAD-format {Path(args.squad).name}", 1)


def write_json_atomic(path: Path, obj) -> None:
    """Write JSON via a temporary sibling + os.replace, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=2)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Standalone entry (`python -m qa.evaluation.cli ...`) until/besides `qa eval`."""
    parser = argparse.ArgumentParser(prog="qa")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

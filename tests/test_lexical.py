"""The lexical index: bm25s builds and writes it; asks read and score its files without bm25s."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from qa.chunking import chunk_documents, dedupe
from qa.korean import content_tokens
from qa.lexical import LexicalIndex

QUERIES = ["불꽃축제 관람객은 몇 명?", "도서관 장서", "다온전자 영업이익", "투자 계획 투자", "없는단어 질문", "", "?!"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory, module_tiny_corpus_and_embedder):
    corpus, _ = module_tiny_corpus_and_embedder
    texts = [c.text for c in chunk_documents(dedupe(corpus)[0], 120, 1)]
    directory = tmp_path_factory.mktemp("bm25")
    LexicalIndex.build(texts).save(directory)
    return texts, directory


def test_scores_equal_bm25s_on_its_own_files(saved):
    bm25s = pytest.importorskip("bm25s")
    texts, directory = saved
    ours, theirs = LexicalIndex.load(directory), bm25s.BM25.load(str(directory))
    vocab_words = sorted({t for text in texts for t in content_tokens(text)})
    rng = np.random.default_rng(0)
    queries = QUERIES + [" ".join(rng.choice(vocab_words, size=rng.integers(1, 6))) for _ in range(40)]
    for q in queries:
        terms = [t for t in content_tokens(q) if t in theirs.vocab_dict and t]
        expected = theirs.get_scores(terms) if terms else np.zeros(len(texts), dtype=np.float32)
        np.testing.assert_array_equal(ours.scores(q), expected, err_msg=q)   # the same float32 sums
    assert ours.scores("불꽃축제 관람객").max() > 0 and ours.num_docs == len(texts)


def test_a_built_index_scores_like_its_saved_copy(saved):
    texts, directory = saved
    built, loaded = LexicalIndex.build(texts), LexicalIndex.load(directory)
    for q in QUERIES:
        assert built.search(q, 5) == loaded.search(q, 5)


def test_asks_do_not_import_bm25s(saved):
    _, directory = saved
    # Kiwi is swapped for str.split: its load would be most of this test's time, and is not the point.
    code = ("import sys, qa.lexical as lexical; lexical.content_tokens = str.split; "
            f"idx = lexical.LexicalIndex.load({str(directory)!r}); assert idx.search('도서관 장서', 3); "
            "sys.exit('bm25s' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.parametrize("damage", [
    lambda d: (d / "params.index.json").write_text(json.dumps({"method": "bm25+", "num_docs": 3})),
    lambda d: (d / "params.index.json").write_text(json.dumps({"method": "lucene", "num_docs": "3"})),
    lambda d: (d / "params.index.json").write_text(json.dumps({"method": "lucene", "num_docs": 1})),
    lambda d: (d / "vocab.index.json").write_text(json.dumps({"a": "x"})),
    lambda d: (d / "vocab.index.json").write_text(json.dumps({"a": 0, "b": 0})),
    lambda d: np.save(d / "indptr.csc.index.npy", np.array([0, 5, 2], dtype=np.int32)),
    lambda d: np.save(d / "indices.csc.index.npy", np.array([0], dtype=np.int32)),
    lambda d: np.save(d / "data.csc.index.npy", np.array(["a"] * 3)),
    lambda d: (d / "data.csc.index.npy").write_bytes(b"\x93NUMPY garbage"),
    lambda d: (d / "vocab.index.json").unlink(),
], ids=["method", "num-docs-type", "num-docs-small", "vocab-type", "vocab-dup", "indptr", "indices", "data-type",
        "data-garbage", "no-vocab"])
def test_damaged_files_are_refused(saved, tmp_path, damage):
    _, directory = saved
    broken = shutil.copytree(directory, tmp_path / "bm25")
    damage(broken)
    with pytest.raises((ValueError, OSError)):
        LexicalIndex.load(broken)

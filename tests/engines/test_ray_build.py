"""Ray Data builds (local cluster, 2 CPUs) write the same collection as the in-process build."""
from __future__ import annotations

import sys

import pytest

pytest.importorskip("pymilvus", reason="the milvus engine needs the scale extra: pip install -e '.[scale]'")
pytest.importorskip("milvus_lite", reason="milvus-lite comes with the scale extra")
ray = pytest.importorskip("ray", reason="--ray needs the scale extra")

from qa.engines import milvus as engine                 # noqa: E402
from qa.engines.milvus import MilvusStore              # noqa: E402
from qa.engines.ray_build import ray_writer             # noqa: E402
from qa.store import BuildOptions                       # noqa: E402

pytestmark = pytest.mark.slow      # starting a local Ray cluster takes 20-40 s on 2 cores
OPTS = BuildOptions(max_chars=120, overlap=1)
FIELDS = ["row", "uid", "doc_id", "title", "text", "start", "end", "sentences", "dense", "sparse"]


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    yield
    if ray.is_initialized():
        ray.shutdown()


def all_rows(store, n):
    rows = store._client.get(store.collection, ids=list(range(n)), output_fields=FIELDS)
    return sorted(({k: r[k] for k in FIELDS} for r in rows), key=lambda r: r["row"])


def test_ray_build_equals_the_in_process_build(tmp_path, tiny_corpus, fake_embedder):
    # The fake embedder lives in tests/conftest.py, which Ray workers cannot import: ship it by value.
    ray.cloudpickle.register_pickle_by_value(sys.modules[type(fake_embedder).__module__])
    plain = MilvusStore.build(str(tmp_path / "a.db"), "tiny", tiny_corpus, fake_embedder, OPTS)
    distributed = MilvusStore.build(str(tmp_path / "b.db"), "tiny", tiny_corpus, fake_embedder, OPTS,
                                    writer=ray_writer(lambda: fake_embedder, "local", embed_batch=3))
    n = len(plain.chunks)
    a, b = all_rows(plain, n), all_rows(distributed, n)
    assert len(a) == len(b) == n
    for ra, rb in zip(a, b):
        assert {k: ra[k] for k in FIELDS if k not in ("dense", "sparse")} == \
               {k: rb[k] for k in FIELDS if k not in ("dense", "sparse")}
        assert rb["dense"] == pytest.approx(ra["dense"], abs=1e-6)
        assert sorted(rb["sparse"]) == sorted(ra["sparse"])
        assert [rb["sparse"][t] for t in sorted(rb["sparse"])] == \
               pytest.approx([ra["sparse"][t] for t in sorted(ra["sparse"])], rel=1e-6)
    assert distributed.lexical_search("불꽃축제 관람객", 5) == plain.lexical_search("불꽃축제 관람객", 5)

    # A rerun of a killed Ray build writes only the missing rows, once.
    client = distributed._client
    client.delete(distributed.collection, ids=[0, 1, 2])
    engine.MilvusStore.build(str(tmp_path / "b.db"), "tiny", tiny_corpus, fake_embedder, OPTS, client=client,
                             writer=ray_writer(lambda: fake_embedder, "local"))
    assert engine.existing_rows(client, distributed.collection, n + 5) == list(range(n))

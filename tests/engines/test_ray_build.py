"""Ray Data builds (local cluster, 2 CPUs) write the same collection as the in-process build."""
from __future__ import annotations

import sys

import pytest

pytest.importorskip("pymilvus", reason="the milvus engine needs the scale extra: pip install -e '.[scale]'")
pytest.importorskip("milvus_lite", reason="milvus-lite comes with the scale extra")
ray = pytest.importorskip("ray", reason="--ray needs the scale extra")

from qa.engines import milvus as engine                 # noqa: E402
from qa.engines.milvus import MilvusStore              # noqa: E402
from qa.engines.ray_build import init_ray, ray_writer   # noqa: E402
from qa.store import BuildOptions                       # noqa: E402

pytestmark = pytest.mark.slow      # starting a local Ray cluster takes 20-40 s on 2 cores
OPTS = BuildOptions(max_chars=120, overlap=1)
FIELDS = ["row", "uid", "doc_id", "title", "text", "start", "end", "sentences", "dense", "sparse"]


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    # Started before this module's Milvus clients: started after one, Ray's raylet twice in 8 runs on 2
    # busy cores never came up (ray.init timed out after 30 s), once with gRPC's "skipping fork() handlers".
    init_ray("local")
    yield
    if ray.is_initialized():
        ray.shutdown()


def all_rows(store, n):
    rows = store._client.get(store.collection, ids=list(range(n)), output_fields=FIELDS)
    return sorted(({k: r[k] for k in FIELDS} for r in rows), key=lambda r: r["row"])


def test_a_ray_build_finishes_an_interrupted_build_as_the_in_process_build_would(tmp_path, tiny_corpus,
                                                                                fake_embedder):
    # One Ray build (each costs ~10 s of worker start-up here): it resumes a build that lost every
    # other row, so its rows must equal the in-process ones in every document, and only the lost
    # rows may be written again.
    # The fake embedder lives in tests/conftest.py, which Ray workers cannot import: ship it by value.
    ray.cloudpickle.register_pickle_by_value(sys.modules[type(fake_embedder).__module__])
    store = MilvusStore.build(str(tmp_path / "a.db"), "tiny", tiny_corpus, fake_embedder, OPTS)
    n = len(store.chunks)
    plain, plain_hits = all_rows(store, n), store.lexical_search("불꽃축제 관람객", 5)
    lost = list(range(0, n, 2))
    assert {store.chunks[r].doc_id for r in lost} == {d.id for d in tiny_corpus}
    client = store._client
    client.delete(store.collection, ids=lost)
    upserted, real_upsert = [], client.upsert

    def upsert(collection, rows):
        if collection == store.collection:
            upserted.extend(r["row"] for r in rows)
        return real_upsert(collection, rows)
    client.upsert = upsert

    resumed = MilvusStore.build(str(tmp_path / "a.db"), "tiny", tiny_corpus, fake_embedder, OPTS, client=client,
                                writer=ray_writer(lambda: fake_embedder, "local", embed_batch=3))
    assert resumed.collection == store.collection
    assert sorted(upserted) == lost                    # the lost rows, each once, and no other
    assert engine.existing_rows(client, resumed.collection, n + 5) == list(range(n))
    again = all_rows(resumed, n)
    for ra, rb in zip(plain, again):
        assert {k: ra[k] for k in FIELDS if k not in ("dense", "sparse")} == \
               {k: rb[k] for k in FIELDS if k not in ("dense", "sparse")}
        assert rb["dense"] == pytest.approx(ra["dense"], abs=1e-6)
        assert sorted(rb["sparse"]) == sorted(ra["sparse"])
        assert [rb["sparse"][t] for t in sorted(rb["sparse"])] == \
               pytest.approx([ra["sparse"][t] for t in sorted(ra["sparse"])], rel=1e-6)
    assert resumed.lexical_search("불꽃축제 관람객", 5) == plain_hits

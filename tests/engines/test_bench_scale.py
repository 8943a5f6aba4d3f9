"""eval/bench_scale.py still drives both engines' current build and query code (its children, in-process)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pytest.importorskip("pymilvus", reason="the milvus engine needs the scale extra: pip install -e '.[scale]'")
pytest.importorskip("milvus_lite", reason="milvus-lite comes with the scale extra")

import qa.engines.milvus  # noqa: E402
import qa.store  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[2] / "eval" / "bench_scale.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_scale", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def data_dir(tmp_path):
    """A SQuAD-format stand-in for every source file the benchmark reads."""
    bench = load_bench()
    contexts = ["광주시 첨단3지구에 국가 AI 데이터센터가 들어선다.\nNHN은 2100억원을 투자한다.",
                "도서관은 오전 9시에 문을 연다.\n열람실은 밤 10시까지 운영한다.",
                "불꽃축제에는 100만 명이 모였다.\n안전요원 3천 명이 배치됐다."]
    for i, rel in enumerate(bench.SOURCES):
        paras = [{"context": c + f"\n자료 {i}번.", "qas": [{"question": f"질문 {i}-{k}?", "id": f"{i}-{k}", "answers": []}]}
                 for k, c in enumerate(contexts)]
        path = tmp_path / "data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"data": [{"title": f"문서{i}", "paragraphs": paras}]}, ensure_ascii=False))
    return tmp_path / "data"


@pytest.mark.parametrize("engine", ["local", "milvus"])
def test_children_build_and_query(engine, data_dir, tmp_path, monkeypatch):
    bench = load_bench()
    # The build child swaps out dedupe module-wide; let the fixture put it back.
    monkeypatch.setattr(qa.store, "dedupe", qa.store.dedupe)
    monkeypatch.setattr(qa.engines.milvus, "dedupe", qa.engines.milvus.dedupe)
    built = bench.child_build(engine, 20, data_dir, tmp_path)
    assert built["passages"] == 20 and built["build_s"] > 0
    queried = bench.child_query(engine, 20, data_dir, tmp_path, 5)
    assert 0 < queried["p50_ms"] <= queried["p95_ms"]

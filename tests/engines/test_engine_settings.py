"""Engine settings and the lean default install (no pymilvus/ray import unless the milvus engine is used)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from qa.errors import InputError
from qa.settings import Settings


def test_engine_defaults_to_local():
    assert Settings().engine == "local"


def test_engine_and_uri_from_environment():
    s = Settings.from_env({"QA_ENGINE": "milvus", "QA_MILVUS_URI": "index/qa.db"})
    assert (s.engine, s.milvus_uri) == ("milvus", "index/qa.db")


def test_unknown_engine_is_refused():
    with pytest.raises(InputError, match="unknown engine 'faiss'"):
        Settings(engine="faiss")


def test_milvus_engine_needs_a_uri():
    with pytest.raises(InputError, match="QA_MILVUS_URI"):
        Settings(engine="milvus")


def test_ray_without_milvus_is_refused(tmp_path, tiny_corpus, fake_embedder):
    from qa.errors import IndexStoreError
    from qa.index_manager import build_index
    with pytest.raises(IndexStoreError, match="--engine milvus"):
        build_index(Settings(index_root=tmp_path, index_name="t"), tiny_corpus, fake_embedder, ray_address="local")


def test_local_engine_imports_neither_pymilvus_nor_ray():
    code = ("import sys, qa.cli, qa.pipeline, qa.index_manager, qa.engines; qa.cli.build_parser(); "
            "print(sorted(m for m in ('pymilvus', 'ray', 'milvus_lite') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

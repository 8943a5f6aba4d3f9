"""Milvus engine fixtures: milvus-lite files in tmp dirs."""
from __future__ import annotations

import pytest


@pytest.fixture
def milvus_uri(tmp_path) -> str:
    return str(tmp_path / "qa.db")

"""eval/train_neural_reader.py: a resumed run records what it started from, lineage included."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

@pytest.fixture(scope="module")
def tnr(eval_script):
    return eval_script("train_neural_reader")


def write_parent(folder: Path, weights: bytes, manifest_sha: str) -> Path:
    path = folder / "span_model.safetensors"
    path.write_bytes(weights)
    (folder / "span_model.json").write_text(json.dumps(
        {"weights": {"sha256": manifest_sha}, "training": {"epochs": 2, "english": False}}), encoding="utf-8")
    return path


def test_parent_record_carries_the_parents_training(tnr, tmp_path):
    sha = hashlib.sha256(b"weights").hexdigest()
    rec = tnr.parent_record(write_parent(tmp_path, b"weights", sha))
    assert rec == {"file": "span_model.safetensors", "sha256": sha, "training": {"epochs": 2, "english": False}}


def test_parent_record_ignores_a_manifest_of_other_weights(tnr, tmp_path):
    rec = tnr.parent_record(write_parent(tmp_path, b"weights", "0" * 64))
    assert rec["sha256"] == hashlib.sha256(b"weights").hexdigest() and "training" not in rec

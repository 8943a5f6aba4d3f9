"""Builds of one name queue on a lock; killed builds never cost the previous index, and what they
leave behind is cleaned by the next build of that name (and only that name)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import qa.store
from qa.errors import IndexStoreError
from qa.index_lock import build_lock, leftovers
from qa.store import BuildOptions, IndexStore, corpus_hash

REPO = Path(__file__).resolve().parents[1]

# Builds index ROOT/NAME in its own process with an embedder that ignores meaning; at STAGE it writes
# MARKER and sleeps, so the test can kill it there: "embed" (before anything is written), "write"
# (temporary directory half written), "swap" (old index moved aside, new one not yet in place),
# "none" (no pause: a normal build, for the concurrency test).
BUILD_SCRIPT = r'''
import pathlib, sys, time
import numpy as np
import qa.lexical
from qa.store import BuildOptions, IndexStore
from qa.types import Document

root, name, stage, marker = sys.argv[1:5]

def hang():
    pathlib.Path(marker).write_text("here")
    time.sleep(300)

class Embedder:
    name, dim, fingerprint = "fake", 64, "fake-bigram-v1"
    def embed_passages(self, texts, progress=False):
        if stage == "embed":
            hang()
        out = np.zeros((len(texts), 64), dtype=np.float32)
        out[:, 0] = 1.0
        return out

if stage == "write":
    real_save = qa.lexical.LexicalIndex.save
    def save(self, path):
        real_save(self, path)
        hang()
    qa.lexical.LexicalIndex.save = save
if stage == "swap":
    real_rename = pathlib.Path.rename
    def rename(self, target):
        moved = real_rename(self, target)
        if ".old-" in str(target):
            hang()
        return moved
    pathlib.Path.rename = rename

docs = [Document("new", "새 문서", "새 문서가 들어왔다. 두 번째 문장이다.", "new.txt")]
IndexStore.build(pathlib.Path(root) / name, docs, Embedder(), BuildOptions())
'''


def hidden(root: Path) -> list[str]:
    """Entries a build may leave in the root besides index directories: none, once it is done."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith("."))


def snapshot(path: Path) -> dict:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture
def built(tmp_path, tiny_corpus, fake_embedder):
    """ROOT/tiny, built from the tiny corpus; returns (root, path, store)."""
    root = tmp_path / "indexes"
    store = IndexStore.build(root / "tiny", tiny_corpus, fake_embedder, BuildOptions())
    return root, root / "tiny", store


def start_build(tmp_path, root, stage, marker_name="marker"):
    script = tmp_path / "build_script.py"
    script.write_text(BUILD_SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, str(script), str(root), "tiny", stage, str(tmp_path / marker_name)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(marker: Path, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            pytest.fail(f"the build ended before its pause: {proc.communicate()[1][-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the build did not reach its pause in time")
        time.sleep(0.05)


@pytest.mark.parametrize("stage", ["embed", "write", "swap"])
def test_kill_9_keeps_the_previous_index_and_the_next_build_cleans_up(tmp_path, built, tiny_corpus,
                                                                     fake_embedder, stage):
    root, path, old = built
    proc = start_build(tmp_path, root, stage)
    wait_for(tmp_path / "marker", proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    left = hidden(root)
    if stage == "write":
        assert any(name.startswith(".tiny.tmp-") for name in left), left     # killed mid-write, for real
    if stage == "swap":
        assert not path.exists() and any(name.startswith(".tiny.old-") for name in left), left
    loaded = IndexStore.load(path)                                            # the previous index still serves
    assert loaded.manifest["corpus_hash"] == old.manifest["corpus_hash"] and loaded.chunks == old.chunks
    new = IndexStore.build(path, tiny_corpus[:1], fake_embedder, BuildOptions())
    assert hidden(root) == []                                                 # leftovers and lock file gone
    assert IndexStore.load(path).manifest["corpus_hash"] == new.manifest["corpus_hash"]


def test_concurrent_builds_of_one_name_in_threads(built, tiny_corpus, fake_embedder, monkeypatch):
    root, path, _ = built
    n = 6
    barrier = threading.Barrier(n, timeout=1)
    real_swap = qa.store._swap_in

    def swap_together(tmp, target):
        """Without a lock every build reaches the swap at once (the race the issue measured)."""
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        real_swap(tmp, target)
    monkeypatch.setattr(qa.store, "_swap_in", swap_together)
    corpora = [tiny_corpus[: i % 4 + 1] for i in range(n)]
    errors: list[BaseException] = []

    def build(docs):
        try:
            IndexStore.build(path, docs, fake_embedder, BuildOptions())
        except BaseException as e:         # noqa: BLE001 - collected and reported below
            errors.append(e)
    threads = [threading.Thread(target=build, args=(docs,)) for docs in corpora]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    final = IndexStore.load(path)
    assert final.manifest["corpus_hash"] in {corpus_hash(docs) for docs in corpora}
    assert hidden(root) == [] and sorted(p.name for p in root.iterdir()) == ["tiny"]


def test_concurrent_builds_of_one_name_in_processes(tmp_path, built):
    root, path, _ = built
    procs = [start_build(tmp_path, root, "none", marker_name=f"m{i}") for i in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-2000:]
    assert set(IndexStore.load(path).documents) == {"new"}
    assert hidden(root) == []


def test_a_build_that_cannot_get_the_lock_fails_clearly(built, tiny_corpus, fake_embedder):
    root, path, _ = built
    before = snapshot(path)
    with build_lock(root, "tiny", timeout=1):
        t0 = time.monotonic()
        with pytest.raises(IndexStoreError, match=r"another build of index 'tiny' held .* for over 0.3 s"):
            IndexStore.build(path, tiny_corpus[:1], fake_embedder, BuildOptions(lock_timeout=0.3))
        assert time.monotonic() - t0 < 30
    assert snapshot(path) == before
    assert hidden(root) == []


def test_a_waiting_build_runs_once_the_lock_is_free(built, tiny_corpus, fake_embedder):
    root, path, _ = built
    done = []
    with build_lock(root, "tiny", timeout=1):
        t = threading.Thread(target=lambda: done.append(
            IndexStore.build(path, tiny_corpus[:1], fake_embedder, BuildOptions(lock_timeout=60))))
        t.start()
        time.sleep(0.5)
        assert not done and t.is_alive()           # queued behind the holder
    t.join(timeout=60)
    assert done and set(IndexStore.load(path).documents) == {"library"}


def test_only_this_names_leftovers_are_removed(built, tiny_corpus, fake_embedder):
    root, path, _ = built
    mine = [".tiny.tmp-abcd_123", ".tiny.old-1700000000000"]
    others = [".tiny.2.tmp-abcd1234", ".tiny.tmp-x.tmp-abcd1234", ".other.old-5", ".tiny.old-notanumber"]
    for name in mine + others:
        (root / name).mkdir()
        (root / name / "documents.jsonl").write_text("{}", encoding="utf-8")
    (root / ".tiny.tmp-zzzzzzzz.txt").write_text("a file, not a build's directory", encoding="utf-8")
    assert [p.name for p in leftovers(root, "tiny")] == sorted(mine)
    IndexStore.build(path, tiny_corpus, fake_embedder, BuildOptions())
    assert hidden(root) == sorted(others + [".tiny.tmp-zzzzzzzz.txt"])


def test_a_swap_cut_short_is_undone_on_load(built):
    root, path, old = built
    path.rename(root / ".tiny.old-1700000000000")                 # as a build killed between its renames
    with build_lock(root, "tiny", timeout=1):                       # a running build will replace it: hands off
        with pytest.raises(IndexStoreError, match="no index"):
            IndexStore.load(path)
    assert IndexStore.load(path).chunks == old.chunks
    assert hidden(root) == []


def test_a_failed_build_after_a_cut_short_swap_keeps_the_previous_index(built, tiny_corpus, fake_embedder,
                                                                        monkeypatch):
    root, path, old = built
    path.rename(root / ".tiny.old-1700000000000")                 # as a build killed between its renames

    def disk_full(self, target):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(qa.store.LexicalIndex, "save", disk_full)
    with pytest.raises(OSError):
        IndexStore.build(path, tiny_corpus[:1], fake_embedder, BuildOptions())
    monkeypatch.undo()
    assert IndexStore.load(path).chunks == old.chunks              # put back, not deleted as a leftover
    assert hidden(root) == []


def test_a_load_across_a_swap_reads_one_build(built, tiny_corpus, fake_embedder, monkeypatch):
    """`qa ask` loading while `qa index build` swaps: never one build's manifest with another's documents."""
    _, path, _ = built
    IndexStore.build(path, tiny_corpus[:1], fake_embedder, BuildOptions())
    real_read = qa.store.read_documents
    swaps = []

    def read_after_a_swap(where):
        if not swaps:       # a build lands between this load's manifest.json and documents.jsonl
            swaps.append(1)     # first: the build's own load reads documents too
            IndexStore.build(path, tiny_corpus, fake_embedder, BuildOptions())
        return real_read(where)
    monkeypatch.setattr(qa.store, "read_documents", read_after_a_swap)
    store = IndexStore.load(path)
    assert swaps and store.manifest["corpus_hash"] == corpus_hash(tiny_corpus)
    assert len(store.documents) == len(tiny_corpus)


def test_an_index_replaced_on_every_read_gives_up_with_a_clear_error(built, tiny_corpus, fake_embedder, monkeypatch):
    _, path, _ = built
    real_read = qa.store.read_documents
    turn, building = [], []

    def swap_every_time(where):
        if not building:    # not the build's own load
            building.append(1)
            turn.append(1)
            IndexStore.build(path, tiny_corpus[: len(turn) % 2 + 1], fake_embedder, BuildOptions())
            building.clear()
        return real_read(where)
    monkeypatch.setattr(qa.store, "read_documents", swap_every_time)
    with pytest.raises(IndexStoreError, match="replaced 5 times while loading"):
        IndexStore.load(path)

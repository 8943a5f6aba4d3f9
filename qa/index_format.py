"""What an index directory's files must hold, checked on every load.

A typed schema for `manifest.json` and for each line of `documents.jsonl` /
`chunks.jsonl`, then the cross-file facts the rest of the program relies on
(chunk ids are row numbers, `documents[c.doc_id].text[c.start:c.end] ==
c.text`, sentence spans lie inside their chunk). Every failure is one
`IndexStoreError` that names the file and says how to rebuild:

    read_manifest(Path("index/news"))  -> {"format_version": 1, "name": "news", ...}
    {"format_version": 1}              -> IndexStoreError("index 'news' is corrupt: manifest.json: embedder:
                                          Field required: rebuild it with `qa index build --name news`")

The checks are linear in the index size (one pass over the records).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import IndexStoreError
from .types import Chunk, Document, Span

FORMAT_VERSION = 1


class _Record(BaseModel):
    # strict: "5" is not 5 and true is not 1; unknown keys are ignored so a newer
    # writer's extra fields do not break an older reader.
    model_config = ConfigDict(strict=True, extra="ignore", allow_inf_nan=False, frozen=True)


class PassageEngineInfo(_Record):
    """The engine that embedded the passages when it is not the query engine (an int8 build engine)."""
    name: str = Field(min_length=1)
    fingerprint: str = Field(min_length=1)
    weights: str | None = None


class EmbedderInfo(_Record):
    name: str = Field(min_length=1)
    dim: int = Field(ge=1, le=1 << 16)
    fingerprint: str = Field(min_length=1)
    model: str | None = None
    passages: PassageEngineInfo | None = None


class ChunkingInfo(_Record):
    max_chars: int = Field(ge=1)
    overlap: int = Field(ge=0)
    version: int | None = None      # missing in indexes cut before versioning: stale, not corrupt


class AnalyzerInfo(_Record):
    """The morphological analyzer whose tokens the BM25 index holds."""
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    multi_word_dict: bool | None = None   # absent in older indexes: they were cut with it


class Counts(_Record):
    documents: int = Field(ge=0)
    input_documents: int = Field(ge=0)
    chunks: int = Field(ge=0)
    sentences: int = Field(ge=0)
    duplicate_sentences_dropped: int = Field(ge=0)
    restated_sentences_dropped: int = Field(0, ge=0)   # added later; older manifests lack it


class Manifest(_Record):
    format_version: Literal[1]
    name: str = Field(min_length=1)
    created_at: str | None = None
    embedder: EmbedderInfo
    chunking: ChunkingInfo
    lexical: AnalyzerInfo | None = None     # missing in indexes built before it was recorded
    faiss: Literal["flat", "hnsw"]
    corpus_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    sources: list[str]
    counts: Counts
    build_seconds: float | None = Field(None, ge=0)
    stage_seconds: dict[str, float] | None = None


class DocumentRecord(_Record):
    id: str = Field(min_length=1)
    title: str
    text: str
    source: str = ""
    metadata: dict = Field(default_factory=dict)


class ChunkRecord(_Record):
    id: int = Field(ge=0)
    doc_id: str
    title: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentences: list[tuple[int, int]]


def rebuild_hint(name: str) -> str:
    return f"rebuild it with `qa index build --name {name}`"


def corrupt(name: str, where: str, detail: str) -> IndexStoreError:
    """The one error every check ends in: `where` is the file (and line)."""
    return IndexStoreError(f"index {name!r} is corrupt: {where}: {detail}: {rebuild_hint(name)}")


def _first_error(e: ValidationError) -> str:
    """'embedder.dim: Input should be a valid integer' (pydantic's first complaint, without the URL)."""
    err = e.errors(include_url=False)[0]
    loc = ".".join(str(part) for part in err["loc"])
    return f"{loc}: {err['msg']}" if loc else err["msg"]


def read_manifest(path: Path) -> dict:
    """The validated manifest of the index at `path`, as the JSON object it holds."""
    name = path.name
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise corrupt(name, "manifest.json", "not valid JSON text") from None
    if not isinstance(manifest, dict):
        raise corrupt(name, "manifest.json", f"a JSON object was expected, found {type(manifest).__name__}")
    found = manifest.get("format_version")
    if found != FORMAT_VERSION or isinstance(found, bool):
        raise IndexStoreError(f"index {name!r} has format version {found!r}, this program reads "
                              f"{FORMAT_VERSION}: {rebuild_hint(name)}")
    try:
        Manifest.model_validate(manifest)
    except ValidationError as e:
        raise corrupt(name, "manifest.json", _first_error(e)) from None
    return manifest


def _read_lines(path: Path, name: str, model: type[_Record]) -> list[_Record]:
    file = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise corrupt(name, file, "the file is missing") from None
    records = []
    # Bytes straight to pydantic's JSON parser, which also rejects invalid UTF-8 (and saves a decode).
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append(model.model_validate_json(line))
        except ValidationError as e:
            raise corrupt(name, f"{file} line {number}", _first_error(e)) from None
    return records


def read_documents(path: Path) -> dict[str, Document]:
    """documents.jsonl of the index at `path`: {id: Document}, ids unique."""
    docs: dict[str, Document] = {}
    for r in _read_lines(path / "documents.jsonl", path.name, DocumentRecord):
        if r.id in docs:
            raise corrupt(path.name, "documents.jsonl", f"document id {r.id!r} appears twice")
        docs[r.id] = Document(r.id, r.title, r.text, r.source, r.metadata)
    return docs


def read_chunks(path: Path, docs: dict[str, Document]) -> list[Chunk]:
    """chunks.jsonl of the index at `path`, each checked against its document."""
    chunks = []
    for row, r in enumerate(_read_lines(path / "chunks.jsonl", path.name, ChunkRecord)):
        problem = _chunk_problem(row, r, docs)
        if problem:
            raise corrupt(path.name, "chunks.jsonl", f"chunk {row}: {problem}")
        chunks.append(Chunk(r.id, r.doc_id, r.title, r.text, r.start, r.end,
                            tuple(Span(s, e) for s, e in r.sentences)))
    return chunks


def _chunk_problem(row: int, r: ChunkRecord, docs: dict[str, Document]) -> str | None:
    """Why chunk record `r` (the row-th) cannot be used, or None."""
    if r.id != row:      # retrieval maps a vector's row straight to chunks[row]
        return f"its id is {r.id}, not its row number {row}"
    doc = docs.get(r.doc_id)
    if doc is None:
        return f"its document {r.doc_id!r} is not in documents.jsonl"
    if not r.start <= r.end <= len(doc.text):
        return (f"offsets {r.start}-{r.end} lie outside document {r.doc_id!r} "
                f"({len(doc.text)} characters in documents.jsonl)")
    if doc.text[r.start:r.end] != r.text:
        return f"its text differs from document {r.doc_id!r} at {r.start}-{r.end} in documents.jsonl"
    for s, e in r.sentences:
        if not 0 <= s <= e <= len(r.text):
            return f"sentence span {s}-{e} lies outside the chunk ({len(r.text)} characters)"
    return None


def check_counts(name: str, manifest: dict, docs: dict, chunks: list, vectors: int, dim: int) -> None:
    """The manifest, the records and the vectors must describe the same index."""
    counts, embedder = manifest["counts"], manifest["embedder"]
    if len(docs) != counts["documents"]:
        raise IndexStoreError(f"index {name!r} is inconsistent: documents.jsonl holds {len(docs)} documents, "
                              f"manifest.json says {counts['documents']}: {rebuild_hint(name)}")
    if not vectors == len(chunks) == counts["chunks"] or dim != embedder["dim"]:
        raise IndexStoreError(
            f"index {name!r} is inconsistent: chunks.jsonl holds {len(chunks)} chunks, dense.faiss {vectors} "
            f"vectors of dimension {dim}, manifest.json says {counts['chunks']} chunks of dimension "
            f"{embedder['dim']}: {rebuild_hint(name)}")

"""Loading documents: .txt, .md, .html (visible text) and .jsonl, or folders.

    load_paths(["news/"]) -> [Document(id="news/a", title=..., text=...), ...]

Text is NFC-normalized with whitespace tidied (`korean.normalize_text`);
duplicate removal happens later, in `chunking`.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from .errors import InputError
from .korean import normalize_text
from .types import Document

SUPPORTED = (".txt", ".md", ".html", ".htm", ".jsonl")
BUNDLED_ID = "gwangju-ai-datacenter-2021"
BUNDLED_FILE = "gwangju_ai_datacenter_2021.txt"
# Per-file limit (Settings.max_file_mb, `qa index build --max-file-mb N`). 20 MB is
# several books of Korean text (a long novel is ~3 MB of UTF-8) and cleans in a
# few minutes on a laptop CPU (Kiwi splits and tokenizes ~30-80K characters/s);
# a bigger file is more likely a dump or a mistake than one document.
DEFAULT_MAX_FILE_MB = 20.0


def bundled_documents() -> list[Document]:
    """The announcement shipped inside the package: the default corpus.

    >>> bundled_documents()[0].metadata["date"]
    '2021-02-04'
    """
    raw = resources.files("qa.data").joinpath(BUNDLED_FILE).read_text(encoding="utf-8")
    text = normalize_text(raw)
    title = text.split("\n", 1)[0]
    return [Document(id=BUNDLED_ID, title=title, text=text, source=f"qa/data/{BUNDLED_FILE}",
                     metadata={"date": "2021-02-04", "language": "ko"})]


def load_paths(paths: list[str | Path], max_file_mb: float = DEFAULT_MAX_FILE_MB) -> list[Document]:
    """Documents from files and folders (folders are walked recursively, sorted).

    A file over `max_file_mb` megabytes (2**20 bytes) is refused before anything is read.
    """
    if not paths:
        raise InputError("no input paths given: name files or folders to index")
    docs: list[Document] = []
    for p in map(Path, paths):
        if not p.exists():
            raise InputError(f"path not found: {p} (check the spelling, or index a folder)")
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED) if p.is_dir() else [p]
        if p.is_dir() and not files:
            raise InputError(f"folder {p} holds no {'/'.join(SUPPORTED)} files")
        for f in files:
            docs.extend(load_file(f, base=p if p.is_dir() else p.parent, max_file_mb=max_file_mb))
    _check_unique_ids(docs)
    return docs


def load_file(path: Path, base: Path | None = None, max_file_mb: float = DEFAULT_MAX_FILE_MB) -> list[Document]:
    """One file -> its documents (a .jsonl file may hold many)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(f"unsupported file type {suffix or '(none)'} for {path}: use {', '.join(SUPPORTED)}")
    _check_size(path, max_file_mb)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; convert it (e.g. iconv -f cp949 -t utf-8)") from None
    doc_id = (path.relative_to(base) if base else path).with_suffix("").as_posix()
    if suffix == ".jsonl":
        return _from_jsonl(raw, path)
    if suffix in (".html", ".htm"):
        title, text = _html_text(raw)
        return [_make(doc_id, title, text, str(path))]
    text = normalize_text(raw)
    return [_make(doc_id, _first_line_title(text, path), text, str(path))]


def _check_size(path: Path, max_file_mb: float) -> None:
    """Refuse a file over the limit, naming its size and the flag that raises the limit."""
    size_mb = path.stat().st_size / 2**20
    if size_mb > max_file_mb:
        raise InputError(f"{path} is {size_mb:.1f} MB, over the {max_file_mb:g} MB limit per file: split it, or "
                         f"raise the limit with `qa index build --max-file-mb {int(size_mb) + 1}` "
                         f"(or QA_MAX_FILE_MB)")


def _make(doc_id: str, title: str, text: str, source: str, metadata: dict | None = None) -> Document:
    text = normalize_text(text)
    if not text:
        raise InputError(f"{source}: document {doc_id!r} has no text")
    return Document(id=doc_id, title=normalize_text(title) or doc_id, text=text, source=source,
                    metadata=metadata or {})


def _first_line_title(text: str, path: Path) -> str:
    first = text.split("\n", 1)[0].lstrip("# ").strip()
    return first if 0 < len(first) <= 200 else path.stem


def _from_jsonl(raw: str, path: Path) -> list[Document]:
    docs = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}:{n}: invalid JSON ({e.msg}); each line must be one JSON object") from None
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            raise InputError(f'{path}:{n}: each line needs {{"id": str, "title": str, "text": str}}')
        doc_id = str(rec.get("id") or f"{path.stem}:{n}")
        meta = {k: v for k, v in rec.items() if k not in ("id", "title", "text")}
        docs.append(_make(doc_id, str(rec.get("title") or doc_id), rec["text"], f"{path}:{n}", meta))
    if not docs:
        raise InputError(f"{path} holds no records")
    return docs


def _check_unique_ids(docs: list[Document]) -> None:
    seen: set[str] = set()
    for d in docs:
        if d.id in seen:
            raise InputError(f"duplicate document id {d.id!r}: give each document a unique id")
        seen.add(d.id)


class _VisibleText(HTMLParser):
    """Collects text outside script/style/head; block tags become line breaks.

    The title is the text of <title> minus any script-like element inside it:
    hostile or broken pages put <script> there, and its code is not a title.
    """

    _SCRIPTS = {"script", "style", "noscript", "template", "svg"}
    _HIDDEN = _SCRIPTS | {"head"}
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "header",
              "footer", "blockquote", "pre", "table", "ul", "ol", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._hidden = 0
        self._scripts = 0       # open script-like elements (a subset of the hidden ones)
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in self._HIDDEN:
            self._hidden += 1
            self._scripts += tag in self._SCRIPTS
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in self._HIDDEN and self._hidden:
            self._hidden -= 1
            if tag in self._SCRIPTS and self._scripts:
                self._scripts -= 1
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            if not self._scripts:
                self.title.append(data)
        elif not self._hidden:
            self.parts.append(data)


def _html_text(raw: str) -> tuple[str, str]:
    """(title, visible text) of an HTML page.

    >>> _html_text("<html><head><title>T</title></head><body><p>가</p><script>x</script></body></html>")
    ('T', '가')
    >>> _html_text("<title>T<script>alert(1)</script></title><p>가</p>")
    ('T', '가')
    """
    parser = _VisibleText()
    parser.feed(raw)
    text = re.sub(r"\n\s*\n+", "\n", "".join(parser.parts))
    # Pythons that parse <title> as raw text (RCDATA) hand a nested script over as text
    title = _SCRIPT_IN_TITLE.sub("", "".join(parser.title))
    return title.strip(), normalize_text(text)


_SCRIPT_IN_TITLE = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)

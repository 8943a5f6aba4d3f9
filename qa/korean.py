"""Korean text tooling on one lazily created Kiwi analyzer.

Kiwi takes about a second to load, so it is created on first use, never at
import time. Calls are serialized with a lock because the web server shares
one analyzer between request threads.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

_LOCK = threading.RLock()
_KIWI = None

# Kiwi without its multi-word dictionary (Wikipedia titles such as "막스 플랑크" or "보로디노 전투"
# as one morpheme): loading it took 1.5 s at start and 2.9 s more on the first analysis, over
# half of a cold `qa ask` (2 cores); without it 0.7 s + 0.8 s. Measured on the same code: our
# set unchanged (rule and hybrid, every answer), the hybrid +0.3 / +0.2 EM / F1 on dev-b's first
# 300 and +0.4 / +0.3 on TyDi dev, the rule reader alone -0.5 / -0.2 on dev-a (multi-word foreign
# names it now cuts short: "바샤르" for "바샤르 알아사드").
KIWI_OPTIONS = {"load_multi_dict": False}

# Morpheme tags that carry content for search; particles (J*), endings (E*),
# suffixes (XS*) and punctuation are dropped so "NHN이" and "NHN은" match "NHN".
CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "SN", "SL", "SH", "XR", "VV", "VA", "MAG", "NP"})
# Tags that may follow a number inside one quantity: 2100/SN 억/NR 원/NNB, 4/SN 만/NR 6200/SN ㎡/SW
_QUANTITY_TAGS = frozenset({"SN", "NR", "NNB", "SW"})


@dataclass(frozen=True)
class Morpheme:
    """One morpheme with its character span in the analysed text."""

    form: str
    tag: str
    start: int
    end: int


def kiwi():
    """The process-wide Kiwi analyzer, created on first call."""
    global _KIWI
    if _KIWI is None:
        with _LOCK:
            if _KIWI is None:
                from kiwipiepy import Kiwi
                _KIWI = Kiwi(**KIWI_OPTIONS)
    return _KIWI


def analyzer_record() -> dict:
    """The analyzer behind every token (BM25 terms, the rules' morphemes), from the installed
    package's metadata (Kiwi itself is not loaded):
    {"name": "kiwipiepy", "version": "0.24.1", "multi_word_dict": False}.

    Another Kiwi version or dictionary may cut words differently, so an index records the one
    that built it (records without "multi_word_dict" were cut with that dictionary).
    """
    return {"name": "kiwipiepy", "version": _kiwi_version(), "multi_word_dict": KIWI_OPTIONS["load_multi_dict"]}


UNRECORDED = "(unrecorded version)"


def recorded_analyzer(record: dict | None) -> dict:
    """An index's analyzer record, completed: every version of this project loaded Kiwi's
    multi-word dictionary until Dec 2026, so a record without "multi_word_dict", or no record
    at all (indexes from before it), means it was loaded.

    >>> recorded_analyzer({"name": "kiwipiepy", "version": "0.24.1"})["multi_word_dict"]
    True
    """
    if not record:
        return {"name": "kiwipiepy", "version": UNRECORDED, "multi_word_dict": True}
    return {"multi_word_dict": True, **record}


def describe_analyzer(record: dict | None) -> str:
    """One line for messages.

    >>> describe_analyzer({"name": "kiwipiepy", "version": "0.24.1"})
    'kiwipiepy 0.24.1 with its multi-word dictionary'
    """
    r = recorded_analyzer(record)
    return f"{r['name']} {r['version']} {'with' if r['multi_word_dict'] else 'without'} its multi-word dictionary"


@lru_cache(maxsize=1)
def _kiwi_version() -> str:
    from importlib.metadata import version   # reads the package's metadata files: once per process
    return version("kiwipiepy")


def is_latin_text(text: str) -> bool:
    """Is the text written mostly in Latin letters (an English question)?

    >>> is_latin_text("How much will NHN invest?"), is_latin_text("NHN 투자액은?")
    (True, False)
    """
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.8


def normalize_text(text: str) -> str:
    """NFC, unify line breaks, squeeze spaces, drop blank lines.

    >>> normalize_text("a  b\\r\\n\\n\\n c ")
    'a b\\nc'
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = re.sub(r"[\u200b\ufeff]", "", text)
    lines = (re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# Hard cap on one sentence: a longer run without a sentence end (a megabyte line
# with no punctuation) is cut at a space, or at the cap when there is none, so
# chunks can keep their size promise and Kiwi never analyses unbounded input.
SENTENCE_MAX_CHARS = 500
# Kiwi's splitter sees at most this much at once: its cost grows faster than
# linearly on one huge line (800 KB took 21 s), and repeated blocks are split once.
_BLOCK_CHARS = 1000
_SENTENCE_END = re.compile(r"[.!?。…\"'”’)\]](?=\s)")


def sentence_spans(text: str, max_chars: int = SENTENCE_MAX_CHARS) -> list[tuple[int, int]]:
    """Sentence boundaries of `text`, never crossing a line break, each at most `max_chars`.

    >>> sentence_spans("첫 문장이다. 둘째 문장이다.\\n셋째")
    [(0, 7), (8, 16), (17, 19)]
    >>> sentence_spans("가나 다라 마바", max_chars=5)
    [(0, 5), (6, 8)]
    """
    return list(iter_sentence_spans(text, max_chars))


def iter_sentence_spans(text: str, max_chars: int = SENTENCE_MAX_CHARS):
    """`sentence_spans` one at a time, so a caller can report progress on a huge text.

    Each line is cut into blocks of at most `_BLOCK_CHARS` (after a sentence end
    where there is one, else at a space) before Kiwi splits it; sentences longer
    than `max_chars` are then cut at spaces. Offsets always index `text`.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            for b_start, b_end in _blocks(line, _BLOCK_CHARS):
                for s, e in _kiwi_sentences(line[b_start:b_end]):
                    for cs, ce in cap_span(line, b_start + s, b_start + e, max_chars):
                        yield offset + cs, offset + ce
        offset += len(line) + 1


@lru_cache(maxsize=2048)    # blocks are <= _BLOCK_CHARS: a few MB at most; repeated text is split once
def _kiwi_sentences(block: str) -> tuple[tuple[int, int], ...]:
    with _LOCK:
        sents = kiwi().split_into_sents(block)
    spans = (_strip_span(block, s.start, s.end) for s in sents)
    return tuple((s, e) for s, e in spans if e > s)


def _blocks(line: str, size: int) -> list[tuple[int, int]]:
    """Consecutive [start, end) pieces of `line`, each at most `size` long, cut after a
    sentence end in the second half of the budget if there is one, else at a space.

    >>> _blocks("가나. 다라. 마바", 8)
    [(0, 7), (7, 10)]
    """
    out, start = [], 0
    while len(line) - start > size:
        window = line[start + size // 2:start + size]
        ends = list(_SENTENCE_END.finditer(window))
        cut = start + size // 2 + (ends[-1].end() if ends else _last_space(window, len(window)))
        out.append((start, cut))
        start = cut
    out.append((start, len(line)))
    return out


def _last_space(window: str, default: int) -> int:
    """Index of the last whitespace character in `window`, or `default` when there is none."""
    for i in range(len(window) - 1, -1, -1):
        if window[i].isspace():
            return i
    return default


def cap_span(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """`text[start:end]` cut into stripped, non-empty pieces of at most `max_chars`:
    at the last space in the second half of the budget, else exactly at the budget.

    >>> cap_span("가나 다라 마바사", 0, 9, 6)
    [(0, 5), (6, 9)]
    """
    pieces = []
    while end - start > max_chars:
        half = max(1, max_chars // 2)
        cut = start + half + _last_space(text[start + half:start + max_chars + 1], max_chars - half)
        s, e = _strip_span(text, start, cut)
        if e > s:
            pieces.append((s, e))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    s, e = _strip_span(text, start, end)
    if e > s:
        pieces.append((s, e))
    return pieces


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def morphemes(text: str) -> list[Morpheme]:
    """Kiwi morphemes with character offsets into `text`.

    >>> [(m.form, m.tag) for m in morphemes("NHN이")]
    [('NHN', 'SL'), ('이', 'JKS')]
    """
    cached = _CACHE.get(text)
    if cached is None:
        cached = _analyze(text)
        _CACHE.put(text, cached)
    return list(cached)


def _analyze(text: str) -> tuple[Morpheme, ...]:
    with _LOCK:
        tokens = kiwi().tokenize(text)
    return tuple(Morpheme(t.form, t.tag, t.start, t.start + t.len) for t in tokens)


class TextCache:
    """A thread-safe LRU keyed on text, bounded by the characters it holds, not by its entry count.

    Analyses cost ~80 bytes per input character, so a count bound (the old
    lru_cache(4096)) let 2,000-character inputs grow it to ~640 MB. Texts
    longer than `max_key_chars` are not kept at all: sentences and passages
    recur, long one-off inputs do not.

    >>> c = TextCache(max_chars=10, max_key_chars=6)
    >>> c.put("abcdef", 1); c.put("ghijkl", 2); c.put("x" * 7, 3)
    >>> c.get("abcdef"), c.get("ghijkl"), c.get("x" * 7), c.chars
    (None, 2, None, 6)
    """

    def __init__(self, max_chars: int, max_key_chars: int):
        self.max_chars = max_chars
        self.max_key_chars = max_key_chars
        self.chars = 0
        self._items: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value) -> None:
        if len(key) > self.max_key_chars:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self.chars += len(key)
            while self.chars > self.max_chars:
                old, _ = self._items.popitem(last=False)
                self.chars -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.chars = 0


# Keys up to 1,000 characters (every sentence and passage of a chunked corpus, and every bounded
# question), 400,000 characters in all: at ~80 bytes a character, at most ~32 MB of analyses.
MAX_CACHED_TEXT_CHARS = 1000
MAX_CACHE_CHARS = 400_000
_CACHE = TextCache(MAX_CACHE_CHARS, MAX_CACHED_TEXT_CHARS)


def content_tokens(text: str) -> list[str]:
    """Search terms: content morphemes plus whole quantities.

    Numbers keep their units as one term (and its prefixes), so "2100억원"
    is findable both as written and as "2100억".

    >>> content_tokens("NHN이 2100억원을 투자한다")
    ['nhn', '2100', '억', '원', '투자', '2100억', '2100억원']
    """
    morphs = morphemes(text)
    out: list[str] = []
    for m in morphs:
        if m.tag in CONTENT_TAGS or (m.tag == "NNB" and _after_number(morphs, m)):
            out.append(m.form.lower())
    out.extend(_quantity_terms(text, morphs))
    return out


def _after_number(morphs: list[Morpheme], m: Morpheme) -> bool:
    i = morphs.index(m)
    return i > 0 and morphs[i - 1].tag in ("SN", "NR") and morphs[i - 1].end == m.start


def number_runs(morphs: list[Morpheme], continues) -> list[tuple[int, int]]:
    """Index ranges [i, j) of runs that start at a number (SN) and go on, with no
    space, while `continues(morpheme, previous)` holds.

    >>> ms = morphemes("2100억원을")
    >>> number_runs(ms, lambda m, prev: m.tag in ("NR", "NNB"))
    [(0, 3)]
    """
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(morphs):
        if morphs[i].tag != "SN":
            i += 1
            continue
        j = i + 1
        while j < len(morphs) and morphs[j].start == morphs[j - 1].end and continues(morphs[j], morphs[j - 1]):
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _quantity_terms(text: str, morphs: list[Morpheme]) -> list[str]:
    """Contiguous number+unit runs and their prefixes: 2100억원 -> 2100억, 2100억원."""
    terms: list[str] = []
    for i, j in number_runs(morphs, lambda m, prev: m.tag in _QUANTITY_TAGS):
        for end in range(i + 2, j + 1):
            terms.append(text[morphs[i].start:morphs[end - 1].end].lower())
    return terms


def question_terms(text: str) -> set[str]:
    """Content terms of a question, as a set (for overlap scoring)."""
    return set(content_tokens(text))

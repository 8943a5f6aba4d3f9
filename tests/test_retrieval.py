"""Hybrid retrieval: typed hits and input checks (fake embedder), and the real model on the announcement."""
from __future__ import annotations

import pytest

from qa.errors import InputError
from qa.retrieval import MAX_QUERY_CHARS, HybridRetriever, check_query
from qa.store import BuildOptions, IndexStore
from qa.types import Chunk, Hit


@pytest.fixture
def tiny_store(tmp_path, tiny_corpus, fake_embedder) -> IndexStore:
    return IndexStore.build(tmp_path / "tiny", tiny_corpus, fake_embedder, BuildOptions(max_chars=100, overlap=0))


@pytest.fixture
def retriever(tiny_store, fake_embedder) -> HybridRetriever:
    return HybridRetriever(tiny_store, fake_embedder)


def test_hits_are_typed_and_ranked(retriever, tiny_store):
    hits = retriever.retrieve("다온전자 영업이익은 얼마야?", k=4)
    assert len(hits) == 4
    assert all(isinstance(h, Hit) and isinstance(h.chunk, Chunk) for h in hits)
    assert [h.rank for h in hits] == [1, 2, 3, 4]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({h.chunk.id for h in hits}) == 4
    assert hits[0].chunk.doc_id == "earnings"
    assert "3800억원" in hits[0].chunk.text
    for h in hits:
        assert tiny_store.documents[h.chunk.doc_id].text[h.chunk.start:h.chunk.end] == h.chunk.text
        assert h.dense_rank is not None or h.lexical_rank is not None
        assert (h.dense_rank is None) == (h.dense_score is None)
        assert (h.lexical_rank is None) == (h.lexical_score is None)


@pytest.mark.parametrize("fusion", ["score", "rrf"])
def test_per_retriever_ranks_match_each_retriever(tiny_store, fake_embedder, fusion):
    retriever = HybridRetriever(tiny_store, fake_embedder, fusion=fusion)
    query = "불꽃축제 관람객 몇 명"
    hits = retriever.retrieve(query, k=5)
    dense = tiny_store.dense_search(fake_embedder.embed_queries([query])[0], 50)
    lexical = tiny_store.lexical_search(query, 50)
    dense_rank = {row: i for i, (row, _) in enumerate(dense, 1)}
    lexical_rank = {row: i for i, (row, _) in enumerate(lexical, 1)}
    for h in hits:
        assert h.dense_rank == dense_rank.get(h.chunk.id)
        assert h.lexical_rank == lexical_rank.get(h.chunk.id)
        if h.dense_rank:
            assert h.dense_score == pytest.approx(dense[h.dense_rank - 1][1])
        if h.lexical_rank:
            assert h.lexical_score == pytest.approx(lexical[h.lexical_rank - 1][1])
    if fusion == "rrf":
        expected = 0.3 / (60 + hits[0].dense_rank) + 0.7 / (60 + hits[0].lexical_rank)
        assert hits[0].score == pytest.approx(expected)
    else:   # normalized scores: the top chunk of both retrievers gets the full 0.3 + 0.7
        assert hits[0].dense_rank == hits[0].lexical_rank == 1
        assert hits[0].score == pytest.approx(1.0)
    assert hits[0].chunk.doc_id == "festival"
    assert "50만명" in hits[0].chunk.text


def test_keyword_with_particles_finds_its_document(retriever):
    for query, doc in [("한빛시립도서관은 언제 열어?", "library"), ("불꽃축제가 열리는 곳은?", "festival"),
                       ("평택 공장에 투자하는 금액", "earnings"), ("농산물 직거래 장터", "digest")]:
        assert retriever.retrieve(query, k=1)[0].chunk.doc_id == doc, query


def test_single_retriever_weights(tiny_store, fake_embedder):
    lexical_only = HybridRetriever(tiny_store, fake_embedder, dense_weight=0.0, lexical_weight=1.0)
    hits = lexical_only.retrieve("다온전자 영업이익", k=3)
    assert all(h.dense_rank is None and h.lexical_rank is not None for h in hits)
    assert [h.lexical_rank for h in hits] == [1, 2, 3][:len(hits)]
    dense_only = HybridRetriever(tiny_store, fake_embedder, dense_weight=1.0, lexical_weight=0.0)
    hits = dense_only.retrieve("다온전자 영업이익", k=3)
    assert [h.dense_rank for h in hits] == [1, 2, 3]
    assert all(h.lexical_rank is None for h in hits)


@pytest.mark.parametrize("weights", [(-0.1, 1.0), (0.5, -1.0), (0.0, 0.0)])
def test_bad_weights_are_refused(tiny_store, fake_embedder, weights):
    with pytest.raises(InputError, match="weights"):
        HybridRetriever(tiny_store, fake_embedder, dense_weight=weights[0], lexical_weight=weights[1])


def test_k_larger_than_the_corpus_returns_every_chunk(retriever, tiny_store):
    hits = retriever.retrieve("축제", k=1000)
    assert len(hits) <= len(tiny_store.chunks)
    assert len(hits) == len(tiny_store.chunks)        # dense returns every chunk


@pytest.mark.parametrize("k", [0, -1, 2.5, "3", None])
def test_bad_k_is_refused(retriever, k):
    with pytest.raises(InputError, match="k must be"):
        retriever.retrieve("축제", k=k)


@pytest.mark.parametrize("query", ["", "   ", "\n\t", None, 42])
def test_empty_query_is_refused(retriever, query):
    with pytest.raises(InputError, match="empty"):
        retriever.retrieve(query, k=3)


def test_huge_query_is_refused(retriever):
    with pytest.raises(InputError, match=str(MAX_QUERY_CHARS)):
        retriever.retrieve("축" * (MAX_QUERY_CHARS + 1), k=3)
    assert check_query("  축제  ") == "축제"
    assert retriever.retrieve("축" * MAX_QUERY_CHARS, k=1)


def test_deterministic(retriever):
    a = retriever.retrieve("올해 관람객과 안전요원", k=5)
    b = retriever.retrieve("올해 관람객과 안전요원", k=5)
    assert a == b


# ---- the real model on the bundled announcement --------------------------------

KOREAN = [
    ("NHN이 데이터센터 구축·운영에 투자하는 금액은?", "2100억원"),
    ("광주 AI데이터센터의 연산성능은 얼마나 돼?", "88.5페타플롭스"),
    ("GIST AI대학원은 매년 학생을 몇 명 선발하나요?", "50명"),
    ("AI융복합단지 사업비 규모는?", "3939억원"),
    ("데이터센터 연면적은 얼마야?", "4만6200㎡"),
    ("SoS Lab의 누적 투자유치 금액은?", "168억원"),
    ("티맥스소프트는 광주 AI기술센터를 언제 설립했어?", "작년 3월"),
    ("GIST AI대학원이 2023년까지 확보할 전임교원 수는?", "12명"),
    ("과학기술정보통신부 장관은 누구야?", "최기영"),
    ("국가AI융복합단지는 광주 어디에 자리잡아?", "첨단3지구"),
]
ENGLISH = [
    ("What is the computing performance of the Gwangju AI data center?", "88.5페타플롭스"),
    ("How many students does the GIST AI graduate school select every year?", "50명"),
    ("Who is the Minister of Science and ICT?", "최기영"),
]


@pytest.mark.slow
@pytest.mark.parametrize("question,answer", KOREAN + ENGLISH, ids=[q for q, _ in KOREAN + ENGLISH])
def test_answer_chunk_in_top3(real_pipeline, question, answer):
    hits = real_pipeline.retrieve(question, k=3)
    assert any(answer in h.chunk.text for h in hits), \
        [(h.rank, h.dense_rank, h.lexical_rank, h.chunk.text[:60]) for h in hits]


@pytest.mark.slow
def test_nhn_investment_is_rank_1(real_pipeline):
    hits = real_pipeline.retrieve("NHN 투자액은?", k=3)
    assert "2100억원" in hits[0].chunk.text, [(h.rank, h.dense_rank, h.lexical_rank, h.chunk.text[:60])
                                              for h in hits]


@pytest.mark.slow
def test_english_nhn_investment_in_top3(real_pipeline):
    hits = real_pipeline.retrieve("How much will NHN invest?", k=3)
    assert any("2100억원" in h.chunk.text for h in hits)
    assert any(h.dense_rank is not None for h in hits)


@pytest.mark.slow
def test_real_index_holds_no_duplicated_sentence(real_pipeline):
    from qa.chunking import dedupe_key
    keys = [dedupe_key(c.text[s.start:s.end]) for c in real_pipeline.store.chunks for s in c.sentences]
    assert real_pipeline.store.manifest["counts"]["duplicate_sentences_dropped"] > 0
    # chunks overlap by one sentence, so count each (chunk-offset) sentence once
    spans = {(c.start + s.start, c.start + s.end): dedupe_key(c.text[s.start:s.end])
             for c in real_pipeline.store.chunks for s in c.sentences}
    assert len(set(spans.values())) == len(spans)
    assert set(keys) == set(spans.values())

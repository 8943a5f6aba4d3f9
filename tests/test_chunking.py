"""Duplicate removal and sentence-window chunking: offsets must always point into the text."""
from __future__ import annotations

import pytest

from qa.chunking import chunk_document, chunk_documents, dedupe, dedupe_key
from qa.documents import bundled_documents
from qa.korean import sentence_spans
from qa.types import Document

SETTINGS = [(50, 0), (120, 1), (300, 2), (500, 1), (2000, 0)]


def all_sentences(doc: Document) -> list[str]:
    return [doc.text[s:e] for s, e in sentence_spans(doc.text)]


def check_chunks(docs: list[Document], max_chars: int, overlap: int) -> None:
    by_id = {d.id: d for d in docs}
    chunks = chunk_documents(docs, max_chars=max_chars, overlap=overlap)
    assert [c.id for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        doc = by_id[c.doc_id]
        assert c.text == doc.text[c.start:c.end]
        assert c.title == doc.title
        assert c.sentences, "every chunk holds at least one sentence"
        assert c.sentences[0].start == 0 and c.sentences[-1].end == len(c.text)
        prev_end = 0
        for s in c.sentences:
            assert prev_end <= s.start < s.end <= len(c.text)
            sent = c.text[s.start:s.end]
            assert sent == sent.strip() and sent
            prev_end = s.end
        assert len(c.text) <= max_chars, "no window exceeds max_chars, not even one long sentence"
    # every sentence (cut to max_chars) of every document lands in some chunk
    for doc in docs:
        covered = {(c.start + s.start, c.start + s.end) for c in chunks if c.doc_id == doc.id for s in c.sentences}
        assert covered == set(sentence_spans(doc.text, max_chars=max_chars))


@pytest.mark.parametrize("max_chars,overlap", SETTINGS)
def test_offsets_on_the_seed(max_chars, overlap):
    raw = bundled_documents()
    clean, _ = dedupe(raw)
    check_chunks(raw, max_chars, overlap)
    check_chunks(clean, max_chars, overlap)


@pytest.mark.parametrize("max_chars,overlap", SETTINGS)
def test_offsets_on_the_tiny_corpus(tiny_corpus, max_chars, overlap):
    clean, _ = dedupe(tiny_corpus)
    check_chunks(tiny_corpus, max_chars, overlap)
    check_chunks(clean, max_chars, overlap)


def test_overlap_shares_sentences_between_neighbours():
    [doc] = dedupe(bundled_documents())[0]
    chunks = chunk_document(doc, max_chars=300, overlap=1)
    assert len(chunks) > 2
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end, "with overlap=1 the next window starts inside the previous one"
    no_overlap = chunk_document(doc, max_chars=300, overlap=0)
    for a, b in zip(no_overlap, no_overlap[1:]):
        assert b.start > a.start and b.start >= a.end


def test_dedupe_on_the_seed_leaves_no_duplicated_sentence():
    raw = bundled_documents()
    clean, report = dedupe(raw)
    [doc] = clean
    keys = [dedupe_key(s) for s in all_sentences(doc)]
    assert len(keys) == len(set(keys))
    assert report.dropped > 0 and report.dropped_paragraphs > 0
    assert report.sentences == len(all_sentences(raw[0]))
    assert len(keys) == report.sentences - report.dropped - report.restated
    assert doc.text.count("NHN이 향후 10년간 구축·운영에 2100억원을 투자한다.") == 1
    assert len(doc.text) < 0.7 * len(raw[0].text)   # the body appeared twice


def test_dedupe_keeps_first_occurrence_across_documents(tiny_corpus):
    clean, report = dedupe(tiny_corpus)
    by_id = {d.id: d for d in clean}
    festival_first = "제10회 바다빛 불꽃축제가 10월 7일 해운포 해변에서 열린다."
    assert by_id["festival"].text.count(festival_first) == 1
    assert festival_first not in by_id["digest"].text
    assert "농산물 직거래 장터" in by_id["digest"].text
    assert report.dropped == 4                       # 2 sentences x (repeat in festival + copy in digest)
    keys = [dedupe_key(s) for d in clean for s in all_sentences(d)]
    assert len(keys) == len(set(keys))


def test_near_exact_duplicates_are_dropped():
    base = ("광주 AI데이터센터는 AI생태계 육성을 위해 2020~2024년 899억원 규모의 정부 지원계획을 "
            "바탕으로 광주시와 민간사업자가 투자협약을 맺고 구축하는 시설이다.")
    variants = [
        base.replace("AI생태계", "AI 생태계").replace("2020~2024년", "2020 ~ 2024년"),   # spacing
        base.replace("시설이다.", "시설이다!").replace("899억원", "899억원,"),            # punctuation
        base.upper(),                                                                   # case
        base.replace("규모의 정부", "규모 정부"),                                       # one particle
    ]
    docs = [Document("a", "a", base)] + [Document(f"v{i}", "v", f"{v} 고유한 문장 {i}번.")
                                         for i, v in enumerate(variants)]
    clean, report = dedupe(docs)
    assert report.dropped == len(variants)
    assert [d.text for d in clean] == [base] + [f"고유한 문장 {i}번." for i in range(len(variants))]


def test_different_sentences_and_short_lines_survive():
    docs = [Document("a", "a", "2021-02-04 21:48\n매출은 4조2천억원이다. 영업이익은 3800억원이다."),
            Document("b", "b", "2021-02-05 09:10\n매출은 4조3천억원이다.")]
    clean, report = dedupe(docs)
    assert report.dropped == 0
    assert [d.text for d in clean] == [d.text for d in docs]


def test_document_made_only_of_duplicates_is_dropped():
    docs = [Document("a", "a", "같은 문장이 두 번 나온다."), Document("b", "b", "같은 문장이  두 번 나온다!")]
    clean, report = dedupe(docs)
    assert [d.id for d in clean] == ["a"]
    assert report.dropped == 1 and report.dropped_paragraphs == 1

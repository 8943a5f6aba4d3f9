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


# ---- huge and hostile inputs: linear work, a hard length cap (issue 12) ------------

WORDS = ("광주 인공지능 데이터센터 구축 사업 엔에이치엔 투자 규모 연산 능력 국가 슈퍼컴퓨터 "
         "대학원 인재 양성 기업 입주 지원 첨단 과학 산업 단지 조성 계획 발표 정부 예산").split()


def unpunctuated_line(n_words: int, seed: int = 0) -> str:
    """One line of Korean words with no sentence punctuation (the README's 13,063-char chunk case)."""
    import random
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


@pytest.mark.parametrize("text", [
    unpunctuated_line(3000),                        # ~15,000 characters, spaces only
    "가" * 3000,                                    # no space at all: cut at the budget
    ("데이터센터를 짓는다 " * 40 + "\n") * 3,        # long lines that Kiwi does split, then capped
], ids=["words", "no-spaces", "lines"])
def test_long_unpunctuated_text_is_cut_to_max_chars(text):
    doc = Document("big", "big", text)
    for max_chars in (500, 120):
        chunks = chunk_document(doc, max_chars=max_chars, overlap=1)
        assert chunks and all(0 < len(c.text) <= max_chars for c in chunks)
        assert all(c.text == doc.text[c.start:c.end] for c in chunks)
        # nothing is lost: every non-space character is in some chunk
        covered = set()
        for c in chunks:
            covered.update(range(c.start, c.end))
        assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_dedupe_of_a_big_repeated_sentence_keeps_one_copy():
    sentence = "NHN이 향후 10년간 구축·운영에 2100억원을 투자한다."
    docs = [Document("rep", "rep", " ".join([sentence] * 3000) + "\n" + "다른 문장이 하나 있다.")]
    clean, report = dedupe(docs)
    assert [d.text for d in clean] == [sentence + "\n다른 문장이 하나 있다."]
    assert report.sentences == 3001 and report.dropped == 2999


def test_near_duplicate_checks_grow_linearly(monkeypatch):
    """Each sentence is checked against its LSH bucket-mates only, not every kept sentence."""
    import qa.chunking as chunking
    calls = []
    real = chunking._jaccard
    monkeypatch.setattr(chunking, "_jaccard", lambda a, b: calls.append(1) or real(a, b))
    # similar but not near-identical sentences: they share most trigrams, so they meet in buckets
    base = unpunctuated_line(12, seed=1)
    sentences = [f"{base} {unpunctuated_line(3, seed=i)} 번호 {i}번이다." for i in range(1500)]
    # dedupe()'s loop over its sentences, without Kiwi cutting them from one text first (1 s, not 7)
    seen = chunking._Seen()
    for s in sentences:
        if not seen.is_duplicate(key := chunking.dedupe_key(s)):
            seen.add(key)
    assert len(seen.keys) == len(sentences)           # similar, not near-identical: every one is kept
    assert len(calls) <= 20 * chunking._BUCKET_CAP * len(sentences)
    assert len(calls) < len(sentences) ** 2 / 20      # all pairs would be ~1.1 million


def test_restated_headline_checks_grow_linearly(monkeypatch):
    import qa.chunking as chunking
    calls = []
    real = chunking._restates
    monkeypatch.setattr(chunking, "_restates", lambda a, b: calls.append(1) or real(a, b))
    # many sentences drawn from one small vocabulary: every pair shares words
    paragraphs = [[unpunctuated_line(8 + i % 20, seed=i) + "다."] for i in range(800)]
    chunking.drop_restated(paragraphs)
    assert len(calls) <= chunking._MAX_RESTATE_CANDIDATES * len(paragraphs)   # all pairs: ~320,000


def test_kiwi_never_splits_more_than_a_block_at_once(monkeypatch):
    import qa.korean as korean
    seen = []
    real = korean.kiwi()

    class Spy:
        def split_into_sents(self, text, *a, **kw):
            seen.append(len(text))
            return real.split_into_sents(text, *a, **kw)

    monkeypatch.setattr(korean, "kiwi", lambda: Spy())
    text = unpunctuated_line(4000, seed=7) + "\n" + "첫 문장이다. 둘째 문장이다."
    spans = sentence_spans(text)
    assert seen and max(seen) <= 1000
    assert all(0 < e - s <= 500 for s, e in spans)
    first = text.index("첫 문장이다.")
    assert spans[-2:] == [(first, first + 7), (first + 8, len(text))]    # short lines split as before


def test_progress_bars_move_during_cleaning_and_chunking(capsys):
    docs = [Document("d", "d", unpunctuated_line(400))]
    clean, _ = dedupe(docs, progress=True)
    chunk_documents(clean, progress=True)
    err = capsys.readouterr().err
    assert "cleaning" in err and "chunking" in err


# ---- properties on arbitrary Unicode ----------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=1500) | st.builds(
    lambda words, seps: "".join(w + s for w, s in zip(words, seps)),
    st.lists(st.sampled_from(WORDS + ["다.", "?", "A", "😀", "\u0301", "　"]), min_size=1, max_size=400),
    st.lists(st.sampled_from([" ", "", "\n", ". ", "  ", "\t"]), min_size=400, max_size=400))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, max_chars=st.integers(1, 600), overlap=st.integers(0, 2))
def test_chunks_hold_offsets_and_length_on_any_text(text, max_chars, overlap):
    doc = Document("d", "d", text)
    chunks = chunk_document(doc, max_chars=max_chars, overlap=overlap)
    for c in chunks:
        assert c.text == doc.text[c.start:c.end]
        assert 0 < len(c.text) <= max_chars and c.text.strip()
        assert all(c.text[s.start:s.end].strip() for s in c.sentences)
    assert chunk_document(doc, max_chars=max_chars, overlap=overlap) == chunks      # deterministic
    if text.strip():
        assert chunks, "text with any non-space character gives at least one chunk"

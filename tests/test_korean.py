"""Korean search terms: particles and endings dropped, quantities kept whole."""
from __future__ import annotations

from qa.korean import analyzer_record, content_tokens, morphemes, normalize_text, question_terms, sentence_spans
from qa.lexical import LexicalIndex


def test_particles_do_not_change_the_term():
    assert content_tokens("NHN이") == content_tokens("NHN은") == content_tokens("NHN") == ["nhn"]
    assert content_tokens("NHN의 투자") == ["nhn", "투자"]


def test_amount_is_searchable_as_written_and_without_unit():
    terms = content_tokens("2100억원을")
    assert "2100억원" in terms and "2100억" in terms
    assert "2100억" in content_tokens("2100억")
    assert set(content_tokens("4만6200㎡ 규모")) >= {"4만6200㎡", "4만6200"}


def test_particles_and_endings_are_dropped():
    terms = content_tokens("도서관에서 학생들이 책을 읽었습니다")
    assert "도서관" in terms and "학생" in terms and "책" in terms
    for gone in ("에서", "이", "을", "었", "습니다", "들"):
        assert gone not in terms
    tags = {m.form: m.tag for m in morphemes("축제는 해변에서 열렸다")}
    assert tags["는"].startswith("J") and tags["에서"].startswith("J")
    assert content_tokens("축제는 해변에서 열렸다") == ["축제", "해변", "열리"]


def test_question_terms_is_a_set_of_content_tokens():
    assert question_terms("NHN이 투자한 금액은?") == {"nhn", "투자", "금액"}


def test_bm25_matches_across_particles_and_units():
    idx = LexicalIndex.build([
        "NHN이 광주에 2100억원을 투자한다.",
        "다온전자는 3800억원의 영업이익을 냈다.",
        "불꽃축제는 해변에서 열린다.",
    ])
    assert idx.search("NHN은?", 1)[0][0] == 0
    assert idx.search("2100억", 1)[0][0] == 0
    assert idx.search("2100억원", 1)[0][0] == 0
    assert idx.search("다온전자의 영업이익", 1)[0][0] == 1
    assert idx.search("축제가 열리는 곳", 1)[0][0] == 2
    assert idx.search("은는이가", 3) == []            # particles alone find nothing


def test_normalize_and_sentence_spans():
    text = normalize_text("첫 문장이다.  둘째 문장이다.\r\n\r\n셋째")
    assert text == "첫 문장이다. 둘째 문장이다.\n셋째"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["첫 문장이다.", "둘째 문장이다.", "셋째"]


def test_the_morpheme_cache_keeps_short_texts_and_is_bounded_by_characters():
    from qa.korean import _CACHE, MAX_CACHED_TEXT_CHARS, TextCache
    morphemes("NHN이 2100억원을 투자한다")
    assert _CACHE.get("NHN이 2100억원을 투자한다") is not None
    long = "광주 데이터센터 투자 " * 200                 # a 2,000-character question: analyzed, not kept
    before = _CACHE.chars
    assert morphemes(long) and len(long) > MAX_CACHED_TEXT_CHARS and _CACHE.get(long) is None
    assert _CACHE.chars == before
    cache = TextCache(max_chars=100, max_key_chars=10)
    for i in range(1000):
        cache.put(f"문장{i:04d}", i)
    assert cache.chars <= 100 and cache.get("문장0999") == 999 and cache.get("문장0000") is None


def test_kiwi_runs_without_its_multi_word_dictionary():
    # The dictionary made "보로디노 전투" one morpheme and tripled Kiwi's load (qa/korean.py):
    # each word is its own term, as a query that names only one of them needs.
    assert [m.form for m in morphemes("보로디노 전투에서")][:2] == ["보로디노", "전투"]
    assert analyzer_record()["multi_word_dict"] is False

"""Trailing particles, copulas and endings come off a span; the word itself stays."""
import pytest

from qa.reader.boundary import (balanced, cut_before_stem, dangling_object, purpose_then_noun, starts_mid_word,
                                 trim_particles)


@pytest.mark.parametrize("text, span, expected", [
    ("NHN은 2100억원을 투자한다.", "2100억원을", "2100억원"),
    ("완공은 2023년이다.", "2023년이다", "2023년"),
    ("이순신 장군은 바다를 지켰다.", "이순신 장군은", "이순신 장군"),
    ("광주과학기술원(GIST)과 함께", "광주과학기술원(GIST)과", "광주과학기술원(GIST)"),
    ("NHN은 2100억원을 투자한다.", "2100억원", "2100억원"),        # nothing to trim
    ("그것은 은이다.", "은", "은"),                                   # never trims to nothing
])
def test_trim(text, span, expected):
    start = text.index(span)
    s, e = trim_particles(text, start, start + len(span))
    assert text[s:e] == expected


@pytest.mark.parametrize("text, span, expected", [
    # an opening quote inside the span: the quoted part is the answer
    ('시장은 도서관이 "시민의 서재"라며 웃었다', '시장은 도서관이 "시민의 서재', "시민의 서재"),
    ("그는 “책의 도시”라고 불렀다", "“책의 도시", "책의 도시"),
    # a closing one: the part before it
    ("영화 《작은 아씨들》이 상영됐다", "작은 아씨들》이", "작은 아씨들"),
    ('그는 "좋다"고 했다', '"좋다"', '"좋다"'),            # matched quotes stay as they are
    ("A Hard Day's Night", "A Hard Day's Night", "A Hard Day's Night"),   # an apostrophe is no quote
    # a bracket glosses what stands before it: half of one goes, with what it holds
    ("간혹 실용정부(實用政府)라 불렀다", "실용정부(實用政", "실용정부"),
    ("결의안 UN) 북한인권 결의안", "UN) 북한인권", " 북한인권"),
    ("단백질 (NH2CHRnCOOH)n 이다", "NH2CHRnCOOH)n", "(NH2CHRnCOOH)n"),   # its opening half, trimmed off, comes back
    ("센터(AI)가 열렸다", "센터(AI)", "센터(AI)"),
])
def test_balanced(text, span, expected):
    start = text.index(span)
    s, e = balanced(text, start, start + len(span))
    assert text[s:e] == expected


def test_mid_word_starts():
    text = "티맥스소프트는 광주에 센터를 세웠다"
    assert starts_mid_word(text, text.index("소프트"))
    assert not starts_mid_word(text, 0)
    assert not starts_mid_word(text, text.index("광주"))
    assert not starts_mid_word("센터(AI)", 3)          # after a bracket: a word of its own


@pytest.mark.parametrize("text, span, dangling", [
    ("센터는 본관을 작년 3월 새로 지었다", "본관을 작년 3월", True),       # an object, then a date: two phrases
    ("센터는 본관을 새 도서관 건물로 지었다", "본관을 새 도서관", True),   # an object, then a bare noun phrase
    ("시는 본관을 새로 지었다", "본관을 새로 지었", False),                # the object's verb is inside
    ("그는 제주대학교를 졸업했다", "제주대학교를 졸업", False),            # one verbal noun: a predicate
    ("광주시와 민간사업자가 협약을 맺고 구축하는 시설", "협약을 맺고 구축하는 시설", False),
    ("작년 3월 본관을 지었다", "작년 3월", False),                         # no object at all
])
def test_dangling_objects(text, span, dangling):
    start = text.index(span)
    assert dangling_object(text, start, start + len(span)) is dangling


def test_ends_before_a_glued_verb_stem():
    text = "그는 밥먹고 잤다"                                    # 밥 + 먹다, written together
    assert cut_before_stem(text, text.index("먹"))
    assert not cut_before_stem(text, text.index("는"))
    assert not cut_before_stem("2100억원을 투자했다", 7)       # before a particle
    assert not cut_before_stem("센터를 설립했다", 5)            # before 하다, a suffix (XSV)


@pytest.mark.parametrize("text, span, both", [
    ("인프라를 활용하기 위해 광주 AI기술센터를 세웠다", "활용하기 위해 광주 AI기술센터", True),  # a purpose, then a noun
    ("생명을 유지하기 위해 일어나는 화학 반응", "유지하기 위해 일어나는 화학 반응", False),   # the purpose's predicate
    ("인프라를 활용하기 위해 센터를 세웠다", "인프라를 활용하기 위해", False),                # the purpose alone
    ("생명을 유지하기 위해서 광주의 센터를 세웠다", "유지하기 위해서 광주의 센터", True),     # 위해서, a 의 inside
    ("식품 위해 요소 관리가 중요하다", "식품 위해 요소 관리", False),                        # 위해 (harm), a noun
])
def test_a_purpose_with_what_was_done_for_it(text, span, both):
    start = text.index(span)
    assert purpose_then_noun(text, start, start + len(span)) is both

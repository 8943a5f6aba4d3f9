"""Ranker features of a candidate span (qa/reader/features.py)."""
from qa.reader.candidates import spans
from qa.reader.features import _clause_coverage, type_clash
from qa.reader.question import analyze
from qa.reader.span import Candidate
from qa.reader.rule_reader import _read_sentence

SENTENCE = "자동차의 경우 자율주행 등 4개 과제, 헬스케어의 경우 유전체 분석 등 6개 과제로 추진된다."


def test_clause_coverage_counts_the_span_own_clause_only():
    terms = {"헬스케어": 1.0, "과제": 1.0}
    ctx = _read_sentence(SENTENCE, terms, None, 1, 0.0)
    by_text = {c.text: c for c in spans(SENTENCE)}
    assert _clause_coverage(ctx, by_text["6개"], terms) == 1.0
    assert _clause_coverage(ctx, by_text["4개"], terms) == 0.5     # 과제 only: 헬스케어 is in the next clause


def test_a_coordination_of_names_answers_who_or_where_without_a_clash():
    both = Candidate(0, 9, "광주시와 민간사업자", "coord")
    assert type_clash(analyze("투자협약은 누가 맺었어?"), both) == 0.0
    assert type_clash(analyze("열기를 어디로 확산해?"), both) == 0.0
    assert type_clash(analyze("투자 기간은?"), both) == 1.0        # no pair of names is a length of time


def test_a_coordination_fits_a_what_question_unless_it_joins_numbers():
    from qa.reader.scoring import type_score
    what = analyze("무엇으로 지정됐어?")
    assert type_score(what, Candidate(0, 6, "등록문화재와 근대문화유산", "coord")) > \
        type_score(what, Candidate(0, 10, "1941년과 1944년", "coord"))


def test_an_example_is_of_the_noun_asked_when_its_clause_alone_has_it():
    from qa.reader.features import _example_of_question_noun
    sentence = "GIST는 구글 등 7개 글로벌 기업과 막스플랑크 등 4개 연구소, 카네기멜런대학교 등 9개 해외 대학과 협력한다."
    terms = {"협력": 1.0, "연구소": 1.0}
    ctx = _read_sentence(sentence, terms, None, 1, 0.0)
    by_text = {c.text: c for c in spans(sentence)}
    assert _example_of_question_noun(ctx, by_text["막스플랑크"], terms) > 0     # 연구소: only its clause
    # the 연구 of "공동연구" matches 연구소 as a prefix, but 연구소 itself is written in one clause only
    joint = "GIST는 구글 등 7개 글로벌 기업과 막스플랑크 등 4개 연구소, 국내 기업과 공동연구 협력프로그램을 개발한다."
    ctx = _read_sentence(joint, terms, None, 1, 0.0)
    assert len({p for p in ctx.positions["연구소"]}) == 2
    assert _example_of_question_noun(ctx, {c.text: c for c in spans(joint)}["막스플랑크"], terms) > 0
    # the word written only inside the span itself: no clause of its own holds it
    inside = "GIST는 막스플랑크연구소 등 4개 기관, 국내 기업과 공동연구 협력프로그램을 개발한다."
    ctx = _read_sentence(inside, terms, None, 1, 0.0)
    at = inside.index("막스플랑크연구소")
    assert _example_of_question_noun(ctx, Candidate(at, at + 8, "막스플랑크연구소", "name"), terms) == 0
    two = "GIST는 구글 등 2개 연구소, 막스플랑크 등 4개 연구소와 협력한다."          # 연구소 in both clauses
    ctx = _read_sentence(two, terms, None, 1, 0.0)
    assert _example_of_question_noun(ctx, {c.text: c for c in spans(two)}["구글"], terms) == 0
    # parallel examples of one noun: the clause must hold another word asked about
    terms = {"헬스케어": 1.0, "과제": 1.0}
    ctx = _read_sentence(SENTENCE, terms, None, 1, 0.0)
    by_text = {c.text: c for c in spans(SENTENCE)}
    assert _example_of_question_noun(ctx, by_text["유전체 분석"], terms) > 0
    assert _example_of_question_noun(ctx, by_text["자율주행"], terms) == 0


def test_a_listed_example_is_the_whole_list_not_its_last_item():
    from qa.reader.features import _example_of_question_noun
    sentence = "매년 50명을 뽑고 AI 기초, 현장응용, 확산 등 현장중심 교육과정을 개설한다."
    terms = {"현장": 1.0, "중심": 1.0, "교육": 1.0, "과정": 1.0}
    ctx = _read_sentence(sentence, terms, None, 1, 0.0)
    at = sentence.index("AI 기초")
    whole = Candidate(at, at + 15, "AI 기초, 현장응용, 확산", "phrases")
    last = Candidate(at + 13, at + 15, "확산", "phrase")
    assert sentence[whole.start:whole.end] == whole.text and sentence[last.start:last.end] == last.text
    assert _example_of_question_noun(ctx, whole, terms) == 1.0      # its clause is the one it ends in
    assert 0 < _example_of_question_noun(ctx, last, terms) < _example_of_question_noun(ctx, whole, terms)
    # after an example of its own ("막스플랑크 등 4개 연구소, "), the next clause's example counts whole
    sentence = "GIST는 막스플랑크 등 4개 연구소, 카네기멜런대학교 등 9개 해외 대학과 협력한다."
    terms = {"해외": 1.0, "대학": 1.0, "협력": 1.0}
    ctx = _read_sentence(sentence, terms, None, 1, 0.0)
    at = sentence.index("카네기")
    assert _example_of_question_noun(ctx, Candidate(at, at + 8, "카네기멜런대학교", "name"), terms) == 1.0


DEADLINE = "이날 현판식을 진행한 대학원은 전임교원을 오는 2023년까지 12명 확보한다."


def _date(text: str, span: str) -> Candidate:
    start = text.index(span)
    return Candidate(start, start + len(span), span, "date")


def test_a_deadline_cannot_answer_when_a_past_event_happened():
    from qa.reader.features import answer_clash
    assert answer_clash(analyze("현판식 언제 했어?"), DEADLINE, _date(DEADLINE, "2023년")) == 1.0
    assert answer_clash(analyze("언제까지 확보해?"), DEADLINE, _date(DEADLINE, "2023년")) == 0.0   # asked so
    ended = "전쟁은 1975년까지 이어졌다."
    assert answer_clash(analyze("전쟁은 언제 끝났어?"), ended, _date(ended, "1975년")) == 0.0   # an end asked

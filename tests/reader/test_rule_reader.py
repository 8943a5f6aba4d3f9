"""The reader on hand-made passages: spans, offsets, abstention (no retrieval, no model)."""
import pytest

from qa.chunking import chunk_document
from qa.conversation import Resolved
from qa.reader import RuleReader
from qa.types import Document, Hit

LIBRARY = Document("library", "시립도서관 개관", (
    "시립중앙도서관이 3일 문을 열었다. 시는 건립에 350억원을 들였다. "
    "도서관은 연면적 1만2500㎡ 규모로 장서 40만권을 갖췄다. "
    "김하늘 시장은 개관식에서 \"시민 누구나 책을 가까이할 수 있게 하겠다\"고 말했다. "
    "도서관은 매년 작가 12명을 초청해 강연을 연다."))


@pytest.fixture(scope="module")
def passage():
    return [Hit(1, 1.0, chunk_document(LIBRARY, max_chars=10**6, overlap=0)[0])]


def ask(question, passage, threshold=0.35):
    return RuleReader(abstain_threshold=threshold).read(question, Resolved(question, question), passage,
                                                        {LIBRARY.id: LIBRARY})


@pytest.mark.parametrize("question, expected", [
    ("도서관 건립 비용은 얼마야?", "350억원"),
    ("도서관 연면적은?", "1만2500㎡"),
    ("매년 작가 몇 명을 초청해?", "12명"),
    ("개관식에서 말한 시장은 누구야?", "김하늘"),
])
def test_short_span_with_exact_offsets(question, expected, passage):
    answer = ask(question, passage)
    assert not answer.abstained
    assert answer.text == expected
    assert LIBRARY.text[answer.start:answer.end] == answer.text
    assert answer.sentence is not None and answer.text in answer.sentence.text
    assert LIBRARY.text[answer.sentence.start:answer.sentence.end] == answer.sentence.text
    assert 0.0 <= answer.confidence <= 1.0


@pytest.mark.parametrize("question", [
    "도서관 관장은 누구야?",          # never named
    "도서관 주차 요금은 얼마야?",      # never stated
    "부산 도서관 건립 비용은?",        # another city
])
def test_abstains_on_facts_the_passage_lacks(question, passage):
    answer = ask(question, passage)
    assert answer.abstained and answer.text is None
    assert answer.passages        # the closest passages are still shown


def test_threshold_zero_always_answers(passage):
    assert not ask("도서관 관장은 누구야?", passage, threshold=0.0).abstained


def test_no_passages_means_abstention():
    answer = RuleReader().read("아무 질문?", Resolved("아무 질문?", "아무 질문?"), [], {})
    assert answer.abstained and answer.confidence == 0.0


def test_a_group_member_does_not_take_the_groups_number():
    from qa.reader.features import _terms_only_in_groups
    terms = ("야구", "경기")
    assert _terms_only_in_groups("축구·야구·농구 경기 30개 개최", terms) == 1.0
    assert _terms_only_in_groups("야구의 경우 경기 12개 개최", terms) == 0.0
    assert _terms_only_in_groups("예매·발권 경기 5개", ("예매",)) == 0.0   # a pair is one thing


def test_who_questions_need_people():
    from qa.reader.candidates import Candidate
    from qa.reader.rule_reader import _is_people
    assert _is_people(Candidate(0, 3, "김하늘", "person"))
    assert _is_people(Candidate(0, 7, "시립대 학생들", "phrase"))
    assert not _is_people(Candidate(0, 9, "광주 AI기반 혁신사례", "name"))


SCHOOL = Document("school", "대학 소식", (
    "한국과학기술원(KAIST)은 5일 새 캠퍼스 착공식을 열었다.\n"
    "KAIST는 내년부터 매년 학생 30명을 새 캠퍼스에서 뽑는다. 캠퍼스 건립에는 120억원이 든다."))


@pytest.mark.parametrize("question, expected", [
    ("KAIST의 한글 이름은?", "한국과학기술원"),
    ("KAIST 정식 명칭이 뭐야?", "한국과학기술원"),
    ("KAIST 한국어 정식 명칭이 뭐예요?", "한국과학기술원"),   # two words say which name: neither is to be found
    ("한국과학기술원의 영문 약자는?", "KAIST"),
    ("What does KAIST stand for?", "한국과학기술원"),
])
def test_a_naming_question_reads_the_alias_where_the_document_defines_it(question, expected):
    # only the second paragraph was retrieved: the alias's sentence is read from the document
    chunks = chunk_document(SCHOOL, max_chars=40, overlap=0)
    hit = [Hit(1, 1.0, next(c for c in chunks if "30명" in c.text))]
    assert "한국과학기술원" not in hit[0].chunk.text
    answer = RuleReader().read(question, Resolved(question, question), hit, {SCHOOL.id: SCHOOL})
    assert answer.text == expected
    assert SCHOOL.text[answer.start:answer.end] == expected
    assert answer.sentence.text.startswith("한국과학기술원(KAIST)")


def test_a_name_in_a_naming_question_is_not_asked_for_its_alias():
    from qa.reader.naming import name_asked_of
    assert name_asked_of("GIST 학생들이 세운 스타트업 이름이 뭐야?") == "스타트업"
    assert name_asked_of("KAIST는 몇 명을 뽑아?") is None


def test_who_said_it_is_answered_from_outside_the_quote():
    question = "'책을 가까이할 수 있게 하겠다'고 말한 사람은 누구야?"
    from qa.reader.candidates import Candidate
    from qa.reader.features import _list_part, _quoted_for_speaker
    from qa.reader.question import analyze
    text = '김하늘 시장은 "시민 누구나 책을 가까이할 수 있게 하겠다"고 말했다.'
    info = analyze(question)
    assert _quoted_for_speaker(info, text, Candidate(9, 11, "시민", "phrase")) == 1.0
    assert _quoted_for_speaker(info, text, Candidate(0, 3, "김하늘", "person")) == 0.0
    assert _quoted_for_speaker(analyze("시장이 약속한 것은?"), text, Candidate(9, 11, "시민", "phrase")) == 0.0
    assert _list_part("인프라·데이터·인재가 모인", Candidate(8, 10, "인재", "phrase")) == 1.0
    assert _list_part("인프라·데이터·인재가 모인", Candidate(0, 10, "인프라·데이터·인재", "list")) == 0.0


def test_another_name_of_the_questions_own_thing_is_not_its_answer():
    # "KAIST 소속 기관은?" must not answer 한국과학기술원: that is KAIST itself
    chunks = chunk_document(SCHOOL, max_chars=10**6, overlap=0)
    question = "KAIST가 착공식을 연 것은?"
    answer = RuleReader().read(question, Resolved(question, question), [Hit(1, 1.0, chunks[0])], {SCHOOL.id: SCHOOL})
    assert answer.text != "한국과학기술원"


def test_why_questions_take_the_stated_purpose():
    doc = Document("hall", "문화회관", "시는 청년 예술가를 지원하기 위해 문화회관을 세웠다. 회관은 공연장 2곳을 갖췄다.")
    hit = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    for q in ("시는 왜 문화회관을 세웠어?", "문화회관을 세운 목적은?"):
        answer = RuleReader().read(q, Resolved(q, q), hit, {doc.id: doc})
        assert answer.text in ("청년 예술가를 지원하기 위해", "청년 예술가를 지원"), q
        assert doc.text[answer.start:answer.end] == answer.text


def test_what_it_is_called_prefers_the_word_before_a_quotative():
    from qa.reader.candidates import Candidate
    from qa.reader.features import _called
    text = '시장은 도서관을 "시민의 서재"라고 불렀고 광장은 쉼터라 했다.'

    def cand(word):
        return Candidate(text.find(word), text.find(word) + len(word), word, "phrase")
    q = "시장은 도서관을 무엇이라고 불렀어?"
    assert _called(q, text, cand("시민의 서재")) == 1.0
    assert _called(q, text, cand("쉼터")) == 1.0
    assert _called(q, text, cand("도서관")) == 0.0
    assert _called("시장은 도서관을 어떻게 바꿨어?", text, cand("시민의 서재")) == 0.0



def test_a_synonym_of_the_question_verb_finds_the_sentence():
    doc = Document("firms", "기업", "한빛전자와 누리소프트 등 기업이 언급됐다. 누리소프트는 부산에 연구센터를 작년 설립했다.")
    hit = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    q = "누리소프트가 부산에 세운 시설은?"
    answer = RuleReader().read(q, Resolved(q, q), hit, {doc.id: doc})
    assert answer.text == "연구센터"


def test_a_past_date_does_not_answer_when_something_will_happen():
    doc = Document("hall", "문화회관", "문화회관 부지는 지난 2019년 선정됐다. 회관은 공연장 2곳을 갖춘다.")
    hit = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    future = "문화회관은 언제 문을 열어?"
    assert RuleReader().read(future, Resolved(future, future), hit, {doc.id: doc}).abstained
    past = "문화회관 부지는 언제 선정됐어?"
    answer = RuleReader().read(past, Resolved(past, past), hit, {doc.id: doc})
    assert answer.text in ("2019년", "지난 2019년")


def test_the_answer_may_sit_in_the_sentence_after_the_one_that_matches():
    doc = Document("lib", "도서관", "시립도서관은 시와 민간사업자가 협약을 맺고 짓는 시설이다. "
                                  "작년 사업자로 선정된 한빛재단이 10년간 운영을 맡는다. 도서관은 장서 40만권을 갖춘다.")
    hit = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    q = "시립도서관 민간사업자는 어디야?"
    answer = RuleReader().read(q, Resolved(q, q), hit, {doc.id: doc})
    assert answer.text == "한빛재단"


def test_a_list_holding_the_focus_is_no_kind_of_it_and_an_example_counts_whole():
    from qa.reader.candidates import Candidate
    from qa.reader.focus import focus_suffix
    from qa.reader.slot import question_slot
    slot = question_slot("과제 음악 분야는?")
    assert slot.focus == "음악"
    assert focus_suffix(Candidate(0, 10, "미술, 문학, 음악", "list"), slot) == 0.0
    doc = Document("fest", "축제", "분야별 과제는 미술의 경우 거리 벽화 그리기 등 3개 과제, "
                                  "음악의 경우 음악 버스킹 무대 등 2개 과제로 추진된다.")
    hit = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    q = "음악 분야 과제는?"
    assert RuleReader().read(q, Resolved(q, q), hit, {doc.id: doc}).text == "음악 버스킹 무대"


def test_a_number_question_without_a_number_in_reach_abstains(passage):
    # 나이 is a type word (the document may give the age as "38살" alone), so only the
    # missing number says the document does not answer
    assert ask("김하늘 시장의 나이는?", passage).abstained


def test_a_date_of_the_next_company_is_not_the_first_ones():
    # Kiwi misreads 티맥스소프트는 inside a sentence (티맥스소프 + 트 + 는); the sentence
    # still opens on its own name, so it does not borrow SoS Lab from the one before.
    doc = Document("firms", "기업", "SoS Lab은 GIST 학생들이 창업한 스타트업으로 설립 5년만에 47명을 고용했다. "
                                  "티맥스소프트는 우수 인프라를 활용하기 위해 광주 AI기술센터를 작년 3월 설립했다.")
    hit = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    q = "SoS Lab은 언제 설립됐어?"
    assert RuleReader().read(q, Resolved(q, q), hit, {doc.id: doc}).abstained


def test_a_count_in_another_counter_is_no_answer(passage):
    assert ask("도서관은 몇 층이야?", passage).abstained          # floors: the passage counts 명 and 권
    assert ask("매년 작가 몇 명을 초청해?", passage).text == "12명"
    from qa.reader.candidates import Candidate
    from qa.reader.question import analyze
    from qa.reader.scoring import counter_clash
    assert not counter_clash(analyze("협력 기업은 몇 곳이야?"), Candidate(0, 2, "7개", "count", "개"))
    assert not counter_clash(analyze("협력 대학은 몇 군데야?"), Candidate(0, 2, "9개", "count", "개"))
    assert counter_clash(analyze("몇 층이야?"), Candidate(0, 3, "2개동", "count", "개"))
    assert not counter_clash(analyze("건물은 몇 동이야?"), Candidate(0, 3, "2개동", "count", "개"))   # two 동


def test_counts_in_a_compound_counter_or_a_unit_answer_how_many_of_it():
    doc = Document("dc", "센터", "센터는 연산성능 88.5페타플롭스(PFLOPS)의 시설로, 연면적 4만6200㎡ 규모의 "
                                 "건물 2개동으로 지어진다.")
    hit = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    for q, expected in (("센터 건물은 몇 동 지어?", "2개동"), ("센터 연산성능은 몇 페타플롭스야?", "88.5페타플롭스(PFLOPS)")):
        assert RuleReader().read(q, Resolved(q, q), hit, {doc.id: doc}).text == expected
    from qa.reader.candidates import Candidate
    from qa.reader.question import analyze
    from qa.reader.scoring import type_score
    after, during = analyze("설립 몇 년 만에 끝났어?"), analyze("몇 년 동안 했어?")
    years = Candidate(0, 10, "2020~2024년", "period", "년")
    assert type_score(after, years) < type_score(during, years) < 1.0   # "몇 년 만에": no range at all


def test_a_why_question_without_a_stated_purpose_abstains():
    doc = Document("hall", "문화회관", "시는 청년 예술가를 지원하기 위해 문화회관을 세웠다. 한빛재단은 회관에 10억원을 기부했다.")
    hit = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    q = "한빛재단은 왜 기부했어?"
    assert RuleReader().read(q, Resolved(q, q), hit, {doc.id: doc}).abstained


BOUNDS = Document("bounds", "대학원 선발", "대학원은 오는 2027년까지 인재 양성을 위해 2024년부터 매년 석사 40명을 뽑는다.")


@pytest.mark.parametrize("question, expected", [
    ("대학원은 언제부터 매년 석사를 뽑았어?", "2024년"),   # where the range starts, not "2027년까지"
    ("대학원은 언제까지 석사를 뽑아?", "2027년까지"),      # its 까지 kept, as asked (numbers.with_asked_suffix)
])
def test_a_range_bound_asked_is_not_the_other_bound(question, expected):
    hits = [Hit(1, 1.0, chunk_document(BOUNDS, max_chars=10**6, overlap=0)[0])]
    answer = RuleReader().read(question, Resolved(question, question), hits, {BOUNDS.id: BOUNDS})
    assert answer.text == expected


def followed(first: str, answer: str, follow_up: str) -> Resolved:
    """`follow_up` resolved after one turn that asked `first` and was answered `answer`."""
    from qa.conversation import Conversation, resolve_followup
    from qa.types import Answer
    conv = Conversation()
    res = resolve_followup(first, conv)
    conv.add(Answer(first, res.text, answer, 1.0, False), res)
    return resolve_followup(follow_up, conv)


@pytest.mark.parametrize("first, answer, follow_up, answer_type", [
    ("시립도서관 과제 예시 하나만", "독서 모임", "과제는 몇 개야?", "count"),   # its own 몇 개
    ("국내 최고 슈퍼컴이랑 비교하면?", "3배", "그 슈퍼컴 이름은 뭔데?", "item"),   # its own 뭐
    ("자동차 분야 과제는?", "자율주행", "에너지 분야는?", "item"),                # a swapped modifier: the earlier type
    ("자동차 분야 과제는 몇 개야?", "4개", "헬스케어는요?", "count"),           # a bare repeat: the earlier type
])
def test_a_follow_up_with_its_own_question_word_asks_what_it_says(first, answer, follow_up, answer_type):
    from qa.reader.rule_reader import question_info
    assert question_info(followed(first, answer, follow_up)).answer_type == answer_type


def test_a_follow_up_naming_a_kind_of_money_is_no_bare_repeat():
    from qa.conversation import Conversation, resolve_followup
    from qa.reader.rule_reader import question_info
    from qa.types import Answer
    conv = Conversation()
    for q, a in (("정부 지원계획 규모가 얼마죠?", "899억원"), ("기간은요?", "2020~2024년")):
        res = resolve_followup(q, conv)
        conv.add(Answer(q, res.text, a, 1.0, False), res)
    third = resolve_followup("그 중 올해 집행액은요?", conv)     # 집행액: a money cue, not an item swapped in
    assert not third.repeats_ask and question_info(third).answer_type == "money"


def test_a_place_an_earlier_turn_gave_need_not_be_named_by_the_answers_sentence():
    # 광주시 is two sentences before the answer's: outside the window whose names entity_gap checks
    doc = Document("park", "단지", "단지는 광주시에 들어선다. 단지는 2019년 선정됐다. 단지 안에는 연구동 건물 3개동이 지어진다.")
    hit = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    res = followed("단지는 어디에 들어서?", "광주시", "거기에 건물은 몇 동 지어?")
    assert "광주시" in res.text
    assert RuleReader().read(res.original, res, hit, {doc.id: doc}).text == "3개동"
    typed = "광주시에 건물은 몇 동 지어?"                  # typed by the user: the sentence must name it
    assert RuleReader().read(typed, Resolved(typed, typed), hit, {doc.id: doc}).confidence < \
        RuleReader().read(res.original, res, hit, {doc.id: doc}).confidence


def test_a_question_word_with_a_city_suffix_is_no_answer_to_where_in_it():
    doc = Document("c", "단지", "이 단지는 광주시 첨단3지구에 자리잡는다.")
    hits = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    q = "단지 위치가 광주 어디쯤이야?"
    scored = RuleReader(abstain_threshold=0.0).candidates(Resolved(q, q), hits, {"c": doc})
    texts = {s.cand.text for s in scored}
    assert "광주시" not in texts and any("첨단3지구" in t for t in texts)

"""Candidate spans per answer kind, on hand-made sentences (not the announcement)."""
import pytest

from qa.reader.candidates import spans


def kinds(sentence: str) -> dict[str, str]:
    return {c.text: c.kind for c in spans(sentence)}


@pytest.mark.parametrize("sentence, text, kind", [
    ("시는 도서관 건립에 350억원을 들인다.", "350억원", "money"),
    ("이번 축제에는 관람객 12만명이 다녀갔다.", "12만명", "count"),
    ("신관은 연면적 1만2500㎡ 규모로 지어진다.", "1만2500㎡", "quantity"),
    ("새 서버는 12.5페타플롭스(PFLOPS)의 성능을 낸다.", "12.5페타플롭스(PFLOPS)", "quantity"),
    ("공사는 2022~2025년 진행된다.", "2022~2025년", "period"),
    ("회사는 향후 5년간 운영을 맡는다.", "5년", "period"),
    ("도서관은 2019년 문을 열었다.", "2019년", "date"),
    ("축제는 작년 10월 처음 열렸다.", "작년 10월", "date"),
    ("김하늘 문화체육관광부 장관은 축사를 했다.", "김하늘", "person"),
    ("행사는 음악, 미술, 문학 분야로 나뉜다.", "음악, 미술, 문학", "list"),
    ("시는 '함께 읽는 도시'를 내세웠다.", "함께 읽는 도시", "quote"),
    ("구청은 공원과 도서관을 새로 짓는다.", "공원과 도서관", "coord"),
    ("협회는 교육·연구 지원을 맡는다.", "교육·연구", "pair"),
    ("이날 박 시장은 축사를 했다.", "박 시장", "person"),
])
def test_candidate_of_each_kind(sentence, text, kind):
    assert kinds(sentence).get(text) == kind


def test_spans_are_slices_of_the_sentence():
    sentence = "GIST의 AI대학원이 매년 학생 50명을 선발해 헬스케어, 자동차, 에너지 교육에 집중한다."
    for c in spans(sentence):
        assert sentence[c.start:c.end] == c.text


def test_particles_are_not_part_of_numbers():
    found = kinds("NHN이 2100억원을 투자하고 5년만에 47명을 고용했다.")
    assert "2100억원" in found and "2100억원을" not in found
    assert found.get("5년") == "period" and "5년만에" not in found


def test_a_time_word_before_a_title_is_no_name():
    found = kinds("이날 김하늘 장관은 축사를 했다.")
    assert found.get("이날") == "time" and found.get("김하늘") == "person"


def test_an_organization_before_a_title_is_no_person():
    assert kinds("김하늘 문화체육관광부 장관은 축사를 했다.").get("문화체육관광부") != "person"


@pytest.mark.parametrize("sentence, purposes", [
    ("시는 관광객을 늘리기 위해 축제를 연다.", ["관광객을 늘리기 위해"]),
    ("구청은 주민 독서 문화 확산을 위해 도서관을 짓는다.", ["주민 독서 문화 확산"]),
    ("회사는 우수 인력을 확보하기 위해 연구소를 세웠다.", ["우수 인력을 확보하기 위해", "우수 인력을 확보"]),
    ("도서관은 장서 40만권을 갖췄다.", []),
    ("축제는 폭설 때문에 취소됐다.", ["폭설"]),                       # a cause
    ("행사는 감염병 확산으로 인해 연기됐다.", ["감염병 확산"]),
])
def test_purpose_clauses_for_why_questions(sentence, purposes):
    found = [c.text for c in spans(sentence) if c.kind == "purpose"]
    assert found == purposes


def test_a_purpose_noun_phrase_stays_a_phrase_too():
    readings = {c.kind for c in spans("구청은 주민 독서 문화 확산을 위해 도서관을 짓는다.") if c.text == "주민 독서 문화 확산"}
    assert readings == {"phrase", "purpose"}


@pytest.mark.parametrize("sentence, expected", [
    ("시는 도심과 외곽, 청년과 노인간 격차를 줄인다.", "도심과 외곽, 청년과 노인간 격차"),
    ("과정은 기초 교양, 전공 심화, 현장실습 등으로 짜인다.", "기초 교양, 전공 심화, 현장실습"),
])
def test_comma_lists_of_short_phrases(sentence, expected):
    assert kinds(sentence).get(expected) == "phrases"


def test_single_words_and_a_longer_last_item_are_no_list_of_phrases():
    # "에너지 융합 교육" is the last item plus the head all three share
    assert "phrases" not in kinds("학생들은 헬스케어, 자동차, 에너지 융합 교육에 집중한다.").values()


def test_a_dot_list_keeps_its_shared_head_noun_as_a_reading():
    found = kinds("단지에는 주거·상업·업무 시설과 공원이 들어선다.")
    assert found.get("주거·상업·업무") == "list"
    assert found.get("주거·상업·업무 시설") == "phrase"
    # a head glued to more than a particle is no shared head
    assert "주거·상업·업무 시설화" not in kinds("주거·상업·업무 시설화가 진행된다.")


def test_a_date_written_in_parts_is_also_one_candidate():
    found = kinds("도서관은 2019년 5월 21일 문을 열었고 10월 3일 축제를 했다.")
    for text in ("2019년", "5월", "21일", "2019년 5월", "2019년 5월 21일", "10월 3일"):
        assert found.get(text) == "date", text
    assert "21일 문을" not in found and "5월 21일 10월" not in found


@pytest.mark.parametrize("sentence, text, kind", [
    ("행렬에는 대략 9만 명이 모였다.", "9만 명", "count"),
    ("한 변의 길이는 57 mm이다.", "57 mm", "quantity"),
    ("그는 제16대 국회의원을 지냈다.", "제16대", "count"),
])
def test_a_number_keeps_its_spaced_unit_and_ordinal_prefix(sentence, text, kind):
    found = kinds(sentence)
    assert found.get(text) == kind
    assert "3 AI" not in kinds("3 AI 과제를 추진한다.") or kinds("3 AI 과제를 추진한다.")["3 AI"] != "quantity"


def test_time_words_at_a_phrase_edge_are_flagged():
    from qa.reader.candidates import Candidate
    from qa.reader.features import _time_edge
    assert _time_edge(Candidate(0, 15, "2002년 당시 새천년민주당", "name")) == 1.0
    assert _time_edge(Candidate(0, 9, "포항중학교 시절", "name")) == 1.0
    assert _time_edge(Candidate(0, 6, "새천년민주당", "name")) == 0.0
    assert _time_edge(Candidate(0, 9, "2019년 5월", "date")) == 0.0


def test_no_name_opens_or_closes_on_a_bound_noun_or_holds_deung():
    found = kinds("개관하는 동안 김하늘 시장 등 내빈이 축하했다.")
    assert "김하늘 시장" in found
    assert not any(t.endswith(" 등") or " 등 " in t or t.startswith("동안") for t in found)


def test_a_date_opening_the_sentence_is_no_list_item():
    found = kinds("2005년 1월 2일, 시립도서관 김하늘 관장은 사퇴했다.")
    assert found.get("2005년 1월 2일") == "date"
    assert not any(kind == "phrases" for kind in found.values())


@pytest.mark.parametrize("sentence, text, kind", [
    ("홍보효과는 1조 8천억원에 이른다.", "1조 8천억원", "money"),
    ("채무는 400조 원을 넘었다.", "400조 원", "money"),
    ("경찰은 오전 6시 12분에 진입했다.", "오전 6시 12분", "date"),
    ("그는 12세에 입학했다.", "12세", "count"),
])
def test_spaced_amounts_times_and_ages(sentence, text, kind):
    assert kinds(sentence).get(text) == kind


def test_minutes_alone_are_no_time_of_day():
    assert kinds("버스로 12분 걸린다.").get("12분") == "quantity"


def test_no_candidate_ends_before_a_verb_stem_glued_to_it():
    # Kiwi reads this sentence-initial name as 티맥스소프 + 트다 + 는: its first syllables are no answer
    sentence = "티맥스소프트는 AI융복합단지 우수 인프라를 활용하기 위해 광주 AI기술센터를 작년 3월 설립했다."
    texts = {c.text for c in spans(sentence)}
    assert "티맥스소프" not in texts
    assert "광주 AI기술센터" in texts


def test_a_units_latin_spelling_in_brackets_is_no_name_but_a_companys_is():
    got = kinds("센터는 88.5페타플롭스(PFLOPS) 규모다. 통신 3사(SKT) 중 하나다.")
    assert got["PFLOPS"] == "phrase" and got["SKT"] == "name"

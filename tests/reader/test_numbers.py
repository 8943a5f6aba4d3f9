"""Number candidates on hand-made sentences: kinds, counters and spaced readings."""
import pytest

from qa.korean import morphemes
from qa.reader.numbers import numbers


def found(sentence: str) -> dict[str, tuple[str, str | None]]:
    return {c.text: (c.kind, c.counter) for c in numbers(sentence, morphemes(sentence))}


@pytest.mark.parametrize("sentence, text, kind, counter", [
    ("시는 건립에 350억원을 들였다.", "350억원", "money", None),
    ("매년 학생 50명을 뽑는다.", "50명", "count", "명"),
    ("공사는 2022~2025년 진행된다.", "2022~2025년", "period", None),
    ("향후 5년간 운영한다.", "5년", "period", None),
    ("작년 3월 설립했다.", "작년 3월", "date", None),
    ("그는 2017년 5월 19일 취임했다.", "2017년 5월 19일", "date", None),
    ("빌딩 2개동을 짓는다.", "2개동", "count", "개"),
    ("진나라는 기원전 206년에 무너졌다.", "기원전 206년", "date", None),
    ("유비는 223년 6월 10일 사망했다.", "223년 6월 10일", "date", None),
    ("그는 보장금액 1100만달러에 계약했다.", "1100만달러", "money", None),   # a sum in another currency
    ("입장료는 20유로다.", "20유로", "money", None),
])
def test_kinds_and_counters(sentence, text, kind, counter):
    assert found(sentence).get(text) == (kind, counter)


def test_every_candidate_is_an_exact_slice_of_the_sentence():
    sentence = "오전 6시 12분, 1조 8천억원과 9만 명, 제16대 57 mm(2019년 5월)"
    for c in numbers(sentence, morphemes(sentence)):
        assert sentence[c.start:c.end] == c.text


def test_a_short_year_is_a_date_only_with_its_month_and_day():
    assert found("유비는 223년 6월 10일 사망했다.")["223년"][0] == "period"   # alone it may be a term
    assert "1년 6월" not in found("검찰은 징역 1년 6월을 구형했다.")          # a term, not a date
    assert "206년" in found("진나라는 기원전 206년에 무너졌다.")              # the plain number stays too


def test_a_range_between_two_dates_splits_into_them():
    got = found("모차르트(1756년 1월 27일~1791년 12월 5일)는 작곡가이다.")
    assert got["1756년 1월 27일"][0] == got["1791년 12월 5일"][0] == "date"
    assert not any("~" in text for text in got)                       # no "27일~1791년"
    assert "3일~5일" in found("회의는 5월 3일~5일 열린다.")             # one unit: still a range


def test_an_ordinal_keeps_its_jjae():
    got = found("그는 6번째 타자로 나서 49번째 홈런을 쳤다.")
    assert "6번째" in got and "49번째" in got
    assert "6번" not in got and "49번" not in got   # no answer stops before 째


def test_a_number_in_spaced_parts_is_one_number_not_its_parts():
    got = found("청원에 36만 905명이 동참했고 추징금 8억 8천만 원, 이자 11조 4000억원을 냈다.")
    assert {"36만 905명", "8억 8천만 원", "11조 4000억원"} <= set(got)
    assert not {"36만", "905명", "8천만 원", "8억", "4000억원"} & set(got)


def test_a_model_span_on_the_last_part_of_a_number_starts_at_its_first():
    from qa.reader.numbers import amount_start
    text = "공무원 8만 1219명을 늘렸다"
    assert text[amount_start(text, text.index("1219")):] .startswith("8만 1219명")
    assert amount_start(text, text.index("공무원")) == 0          # no number: unchanged
    assert amount_start("2019년 5월", 6) == 6                       # a date's parts are not an amount


def test_a_number_glued_to_a_word_is_part_of_a_name():
    got = found("단지는 광주첨단3지구에 들어서고 작년3월 제16대 센터장이 총30명을 뽑아 길이20미터 건물에 오전6시 모였다.")
    assert "3지구" not in got                                          # no measure of 지구
    assert {"3월", "16대", "30명", "20미터", "6시"} <= set(got)       # a date, 제, one syllable, a unit, a time


@pytest.mark.parametrize("question, span, answer", [
    ("몇 년 동안 투자해?", "10년", "10년간"),
    ("투자 기간은?", "10년", "10년간"),
    ("몇 년에 걸쳐 투자해?", "10년", "10년간"),
    ("언제부터 투자해?", "10년", "10년"),            # not asked how long
    ("언제까지 뽑아?", "2023년", "2023년까지"),
    ("언제 뽑아?", "2023년", "2023년"),               # not asked until when
    ("몇 년 동안 뽑아?", "50명", "50명"),             # no span of time
])
def test_the_suffix_the_question_asks_for_is_kept(question, span, answer):
    from qa.reader.numbers import with_asked_suffix
    sentence = "NHN은 향후 10년간 투자하고 오는 2023년까지 매년 50명을 뽑는다"
    start = sentence.index(span)
    assert sentence[start:with_asked_suffix(sentence, start, start + len(span), question)] == answer


def test_a_word_glued_after_the_suffix_keeps_it_off():
    from qa.reader.numbers import with_asked_suffix
    sentence = "3년간부 회의"
    assert with_asked_suffix(sentence, 0, 2, "몇 년 동안?") == 2

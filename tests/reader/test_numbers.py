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
])
def test_kinds_and_counters(sentence, text, kind, counter):
    assert found(sentence).get(text) == (kind, counter)


def test_every_candidate_is_an_exact_slice_of_the_sentence():
    sentence = "오전 6시 12분, 1조 8천억원과 9만 명, 제16대 57 mm(2019년 5월)"
    for c in numbers(sentence, morphemes(sentence)):
        assert sentence[c.start:c.end] == c.text

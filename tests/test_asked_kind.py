"""Questions that ask what kind of thing their subject is (qa/asked_kind.py)."""
import pytest

from qa.asked_kind import kind_asked_of


@pytest.mark.parametrize("question, asked", [
    ("SoS Lab은 어떤 회사야?", ("SoS Lab", "회사")),
    ("SoS Lab은 뭐 하는 회사예요?", ("SoS Lab", "회사")),
    ("SoS Lab은 무엇을 하는 기업인가요?", ("SoS Lab", "기업")),
    ("SoS Lab은 뭐 만드는 회사예요?", ("SoS Lab", "회사")),     # what it makes: what kind of company
    ("SoS Lab이 뭐 하는 회사야?", ("SoS Lab", "회사")),
    ("SoS Lab 어떤 회사인지 알려줘", ("SoS Lab", "회사")),       # no particle; asked indirectly
    ("티맥스소프트가 어떤 회사야?", ("티맥스소프트", "회사")),
    ("카카오페이 어떤 회사야?", ("카카오페이", "회사")),         # its 이 belongs to the name
    ("GIST는 어떤 학교야?", ("GIST", "학교")),
    ("곽영욱은 어떤 회사의 사장이었는가?", None),    # a company's name, of which he was the head
    ("어떤 회사가 2100억원을 투자해?", None),         # which company: a name
    ("SoS Lab은 어떤 센서를 만들어?", None),          # no kind of the subject
])
def test_kind_asked_of(question, asked):
    assert kind_asked_of(question) == asked

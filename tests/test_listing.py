"""Items the documents list together (qa.listing): pure text checks, no model."""
import pytest

from qa.listing import listed_in, listed_together

TEXT = ("산업별 AI융합은 자동차의 경우 자율주행 등 4개 과제, 에너지의 경우 재난대응 등 4개 과제, "
        "헬스케어의 경우 유전체 분석 등 6개 과제로 추진된다. 3대 특화분야인 헬스케어, 자동차, 에너지 융합 교육을 한다. "
        "대학원은 구글 등 7개 글로벌 기업과 막스플랑크 등 4개 연구소, 카네기멜런대학교(CMU) 등 9개 해외 대학과 연구한다. "
        "AI와 로봇·드론·선박을 잇는다. NHN과 광주시가 협약을 맺었다.")


@pytest.mark.parametrize("a, b, listed", [
    ("자동차", "헬스케어", True),        # "헬스케어, 자동차, 에너지": a list of three
    ("헬스케어", "에너지", True),
    ("기업", "연구소", True),            # items that are phrases: "막스플랑크 등 4개 연구소"
    ("연구소", "대학", True),            # "9개 해외 대학": a number, then one modifier
    ("기업", "대학", True),              # three items apart
    ("로봇", "선박", True),              # a group joined by middle dots
    ("NHN", "광주시", True),             # a pair joined by 과
    ("과제", "에너지", False),           # "4개 과제, 에너지의 경우": a comma between two clauses
    ("에너지", "융합", False),           # "에너지 융합 교육": 융합 modifies what follows, no item
    ("AI", "로봇", False),               # AI is paired with the group, not listed in it
    ("AI", "드론", False),
    ("대학원", "구글", False),           # words of one sentence, no list
    ("자동차", "자동차", False),
])
def test_listed_together(a, b, listed):
    assert listed_together(a, b, [TEXT]) is listed
    assert listed_together(b, a, [TEXT]) is listed   # either order


def test_a_word_inside_a_longer_word_is_no_item():
    assert not listed_together("에너지", "자동차", ["신재생에너지·자동차 부품을 만든다."])
    assert listed_together("에너지", "자동차", ["에너지·자동차 부품을 만든다."])


def test_a_comma_pair_is_a_list_where_the_list_goes_on():
    assert not listed_together("서울", "부산", ["서울, 부산에서는 비가 온다."])
    assert listed_together("서울", "부산", ["서울, 부산, 대구에서는 비가 온다."])
    assert listed_together("서울", "부산", ["서울, 부산과 대구에서는 비가 온다."])


def test_listed_in_reads_every_text():
    listed = listed_in(iter(["NHN이 투자한다.", "구글과 아마존이 참여한다."]))   # an iterator, read once
    assert listed("구글", "아마존") and listed("아마존", "구글") and not listed("NHN", "구글")

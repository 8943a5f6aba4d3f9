"""KorQuAD 1.0 normalization, EM, character F1 and the ranking helpers, on hand-computed examples."""
import pytest

from qa.evaluation.metrics import (contains_answer, em_nospace, exact_match, f1, first_rank, mean, mrr,
                                   normalize_answer, percentile, recall_at_k)


@pytest.mark.parametrize("raw, expected", [
    ("《토지》", "토지"),                       # book-title brackets become spaces, then collapse
    ("〈광장〉과 <님의 침묵>", "광장 과 님의 침묵"),
    ("‘인공지능 중심도시’", "인공지능 중심도시"),
    ("(주)카카오", "주 카카오"),                 # parentheses become spaces: "(주)카카오" -> " 주 카카오"
    ("\"AI 허브\"", "ai 허브"),
    ("'광장'", "광장"),
    ("2,100억원.", "2100억원"),                 # other ASCII punctuation is deleted, not spaced
    ("A.I. 데이터센터", "ai 데이터센터"),
    ("  NHN   클라우드\t센터 ", "nhn 클라우드 센터"),
    ("“광주”", "“광주”"),                       # curly double quotes are not in KorQuAD's list: kept
    ("「광주」", "「광주」"),
])
def test_normalize_answer(raw, expected):
    assert normalize_answer(raw) == expected


def test_exact_match():
    assert exact_match("2100억원", ["2,100억원"]) == 1.0
    assert exact_match("《광장》", ["광장"]) == 1.0
    assert exact_match("(주)NHN", ["주 NHN"]) == 1.0
    assert exact_match("2100억", ["2100억원"]) == 0.0
    assert exact_match("2100억", ["2100억원", "2100억"]) == 1.0     # any gold counts
    assert exact_match("광주 과학기술원", ["광주과학기술원"]) == 0.0   # spacing matters for EM
    assert exact_match("“광주”", ["광주"]) == 0.0                    # faithful to the official script
    assert exact_match(None, ["광주"]) == 0.0                        # abstention is wrong


def test_exact_match_nfc():
    nfd = "\u1100\u116a\u11bc\u110c\u116e"   # "광주" decomposed into jamo
    assert exact_match(nfd, ["광주"]) == 1.0


def test_em_nospace():
    assert em_nospace("광주 과학기술원", ["광주과학기술원"]) == 1.0
    assert em_nospace("국가 AI 융복합단지", ["국가AI융복합단지"]) == 1.0
    assert em_nospace("(10 년)", ["10년"]) == 1.0
    assert em_nospace("10년간", ["10년"]) == 0.0
    assert em_nospace(None, ["10년"]) == 0.0


def test_f1_hand_computed():
    # "2100억원" vs "2100억": 6 vs 5 chars, 5 shared -> P 5/6, R 1 -> 10/11
    assert f1("2100억원", ["2100억"]) == pytest.approx(10 / 11)
    # "향후 10년간" vs "10년": 6 chars (spaces are not characters) vs 3, 3 shared -> P 1/2, R 1 -> 2/3
    assert f1("향후 10년간", ["10년"]) == pytest.approx(2 / 3)
    # lower-cased: "광주과학기술원 ai대학원" (12 chars) vs "ai대학원" (5) -> P 5/12, R 1 -> 10/17
    assert f1("광주과학기술원 AI대학원", ["AI대학원"]) == pytest.approx(10 / 17)
    # multisets: "사사" vs "사" share one 사 -> P 1/2, R 1 -> 2/3
    assert f1("사사", ["사"]) == pytest.approx(2 / 3)
    # brackets and quotes vanish before counting
    assert f1("《토지》", ["토지"]) == 1.0
    assert f1("'광장'(1960)", ["광장 1960"]) == 1.0
    # word order does not matter for a character bag
    assert f1("센터 데이터", ["데이터센터"]) == 1.0


def test_f1_max_over_golds_and_edge_cases():
    assert f1("10년", ["향후 10년간", "10년"]) == 1.0
    assert f1("가", ["나"]) == 0.0
    assert f1("", ["광주"]) == 0.0
    assert f1("()", ["광주"]) == 0.0     # normalizes to nothing
    assert f1(None, ["광주"]) == 0.0


def test_no_golds_is_an_error():
    with pytest.raises(ValueError, match="abstention"):
        exact_match("x", [])
    with pytest.raises(TypeError):
        f1("x", "x")


def test_contains_answer():
    assert contains_answer("NHN은 2100억원을 투자한다.", ["6200억원", "2100억원"])
    assert not contains_answer("NHN은 2100억원을 투자한다.", ["6200억원"])
    assert contains_answer("\u1100\u116a\u11bc\u110c\u116e 북구", ["광주"])   # NFC on both sides
    assert not contains_answer("아무것도", [])


def test_ranks():
    assert first_rank([False, False, True]) == 3
    assert first_rank([]) is None
    ranks = [1, 2, None, 5, 7]
    assert recall_at_k(ranks, 1) == pytest.approx(0.2)
    assert recall_at_k(ranks, 3) == pytest.approx(0.4)
    assert recall_at_k(ranks, 5) == pytest.approx(0.6)
    assert mrr(ranks) == pytest.approx((1 + 0.5 + 0.2 + 1 / 7) / 5)
    assert mrr([]) == 0.0


def test_percentile_and_mean():
    xs = [40, 10, 30, 20]
    assert percentile(xs, 0) == 10
    assert percentile(xs, 50) == 25
    assert percentile(xs, 100) == 40
    assert percentile([7], 95) == 7
    with pytest.raises(ValueError):
        percentile(xs, 101)
    assert mean([]) == 0.0

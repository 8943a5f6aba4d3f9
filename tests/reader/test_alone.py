"""When the rules answer alone (qa/reader/alone.py), through HybridReader.read: the span model is not asked."""
import math

from qa.conversation import Resolved
from qa.reader.alone import contested
from qa.reader.hybrid import HybridReader, best_rule
from qa.reader.ranker import LinearRanker
from qa.reader.rule_reader import RuleReader
from qa.types import Chunk, Document, Hit, Span
from tests.conftest import PointAt


def one_passage(text: str, title: str = "g") -> tuple[list[Hit], dict[str, Document]]:
    """A document of `text` as the one retrieved passage (its sentences split at ". ")."""
    sents = [s if s.endswith(".") else s + "." for s in text.split(". ")]
    return ([Hit(1, 1.0, Chunk(0, "g", title, text, 0, len(text),
                               tuple(Span(text.index(s), text.index(s) + len(s)) for s in sents)))],
            {"g": Document("g", title, text)})


def hybrid(model, trust: float, typed_trust: float) -> HybridReader:
    return HybridReader(RuleReader(abstain_threshold=0.0), model, LinearRanker({"agree": 100.0}), 0, 1,
                        trust=trust, typed_trust=typed_trust)


def test_the_asked_list_answers_alone_from_typed_trust():
    # the span model reads the list on into the noun it modifies ("... 에너지 융합 교육·연구")
    text = "대학원은 3대 특화분야인 헬스케어, 자동차, 에너지 융합 교육·연구에 집중한다."
    hits = [Hit(1, 1.0, Chunk(0, "g", "대학원", text, 0, len(text), (Span(0, len(text)),)))]
    q = "3대 특화분야가 뭐뭐예요?"
    for typed_trust, alone in ((0.0, True), (math.inf, False)):
        model = PointAt("헬스케어, 자동차, 에너지 융합 교육·연구")
        reader = HybridReader(RuleReader(abstain_threshold=0.0), model, LinearRanker({"agree": 100.0}), 0, 1,
                              trust=math.inf, typed_trust=typed_trust)
        got = reader.read(q, Resolved(q, q), hits, {"g": Document("g", "대학원", text)})
        assert (got.text == "헬스케어, 자동차, 에너지") == alone and (model.calls == 0) == alone


def test_an_equally_sure_candidate_close_in_score_sends_the_question_to_the_model():
    # "전임교원을 12명 확보하고 15명의 겸무교수를": both counts hold every word of the follow-up's question
    hits, docs = one_passage("대학원은 전임교원을 오는 2023년까지 12명 확보하고 15명의 겸무교수를 참여시킨다.")
    q = "전임교원 확보 겸무교수는요 몇 명 확보한대?"
    model = PointAt("15명")
    reader = hybrid(model, trust=0.01, typed_trust=0.0)
    scored = reader.rule.candidates(Resolved(q, q), hits, docs)
    best = best_rule(scored)
    assert best.cand.text == "12명" and contested(scored, best)      # 15명: as sure and close: the rules cannot tell
    assert not contested(scored, best, gap=0.0)
    got = reader.read(q, Resolved(q, q, carried=("전임교원", "확보")), hits, docs)
    assert model.calls == 1 and got.text == "15명"


def test_a_rule_answer_no_candidate_contests_stands_alone():
    hits, docs = one_passage("NHN은 2100억원을 투자한다.")
    model = PointAt("NHN")
    got = hybrid(model, trust=0.01, typed_trust=0.0).read("NHN 투자액은?", Resolved("NHN 투자액은?", "NHN 투자액은?"),
                                                         hits, docs)
    assert model.calls == 0 and got.text == "2100억원"


def test_a_phrase_ending_in_the_noun_asked_after_eotteon_answers_alone():
    hits, docs = one_passage("대통령은 데이터기본법을 만들겠다고 했다. 광주는 최초로 일자리를 만들었다.")
    q = "대통령이 어떤 법을 만들겠다고 했어?"
    model = PointAt("최초")     # the model took another phrase ("AI기술")
    got = hybrid(model, trust=math.inf, typed_trust=0.0).read(q, Resolved(q, q), hits, docs)
    assert got.text == "데이터기본법" and model.calls == 0


def test_only_a_rival_that_fits_the_asked_form_as_well_contests():
    from qa.reader.candidates import Candidate
    from qa.reader.rule_reader import Scored

    def s(text, score, conf, **features):
        return Scored(score, conf, Candidate(0, len(text), text, "phrase"), None, 0, "", features)
    best = s("데이터기본법", 4.6, 0.53, type=0.5, head_match=1.0)
    assert not contested([best, s("최초", 4.1, 0.58, type=0.5)], best)                 # no 법: no contest
    assert contested([best, s("기본법", 4.1, 0.58, type=0.5, head_match=1.0)], best)


def test_the_asked_noun_is_the_one_after_eotteon_not_a_counter_after_myeot():
    from qa.reader.alone import states_asked_form
    from qa.reader.candidates import Candidate
    from qa.reader.rule_reader import Scored, question_info

    def best(text, kind):
        return Scored(3.0, 0.8, Candidate(0, len(text), text, kind), None, 0, "", {"type": 0.45, "head_match": 1.0})
    which = "대통령이 어떤 법을 만들겠다고 했어?"
    assert states_asked_form(question_info(Resolved(which, which)), best("데이터기본법", "phrase"))
    year = "SoS Lab은 몇 년에 설립됐나요?"    # "설립 5년만에": a period ends in 년, no year
    assert not states_asked_form(question_info(Resolved(year, year)), best("5년", "period"))

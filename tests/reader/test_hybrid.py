"""HybridReader: the span model's answer, abstention with the rule reader's evidence."""
from qa.conversation import Resolved
from qa.reader.hybrid import HybridReader
from qa.reader.neural import NeuralReader, SpanPrediction, SpanScorer
from qa.reader.rule_reader import RuleReader
from qa.types import Chunk, Document, Hit, Span

TEXT = "광주시는 국가 AI 데이터센터를 짓는다. NHN은 2100억원을 투자한다. 완공은 2023년이다."
DOC = Document("d", "광주 AI 데이터센터", TEXT)
_SENTS = [s if s.endswith(".") else s + "." for s in TEXT.split(". ")]
HITS = [Hit(1, 1.0, Chunk(0, "d", DOC.title, TEXT, 0, len(TEXT),
                          tuple(Span(TEXT.index(s), TEXT.index(s) + len(s)) for s in _SENTS)))]


class PointAt(SpanScorer):
    def __init__(self, target, margin=6.0):
        self.target, self.margin = target, margin

    def predict(self, question, contexts, top=5):
        return [[SpanPrediction(c.index(self.target), c.index(self.target) + len(self.target), self.margin, 0.0)]
                for c in contexts]


def _ask(scorer, q):
    reader = HybridReader(RuleReader(), NeuralReader(scorer, calibration=(1.0, 0.0)))
    return reader.read(q, Resolved(q, q), HITS, {"d": DOC})


def test_the_span_models_answer_with_the_rule_evidence_of_its_sentence():
    a = _ask(PointAt("2100억원"), "NHN 투자액은?")
    assert not a.abstained and a.text == "2100억원" and TEXT[a.start:a.end] == a.text
    assert a.sentence.text == "NHN은 2100억원을 투자한다."


def test_a_confident_span_still_abstains_when_the_documents_never_mention_what_is_asked():
    a = _ask(PointAt("NHN"), "삼성전자 대표이사의 아내는 누구야?")
    assert a.abstained and a.text is None


def test_the_neural_confidence_alone_is_not_enough():
    sure = _ask(PointAt("2100억원", margin=6.0), "NHN 투자액은?")
    unsure = _ask(PointAt("2100억원", margin=-6.0), "NHN 투자액은?")
    assert unsure.confidence < sure.confidence

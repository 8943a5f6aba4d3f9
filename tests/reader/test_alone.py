"""When the rules answer alone (qa/reader/alone.py), through HybridReader.read: the span model is not asked."""
import math

from qa.conversation import Resolved
from qa.reader.hybrid import HybridReader
from qa.reader.ranker import LinearRanker
from qa.reader.rule_reader import RuleReader
from qa.types import Chunk, Document, Hit, Span
from tests.conftest import PointAt


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

"""HybridReader: rule candidates and model spans ranked by the combiner; abstention stays the rule reader's."""
import math

import pytest

from qa.conversation import Resolved
from qa.reader.hybrid import FEATURES, HybridReader
from qa.reader.ranker import LinearRanker
from qa.reader.rule_reader import RuleReader
from qa.types import Chunk, Document, Hit, Span
from tests.conftest import PointAt

TEXT = "광주시는 국가 AI 데이터센터를 짓는다. NHN은 2100억원을 투자한다. 정부는 899억원을 지원한다."
DOC = Document("d", "광주 AI 데이터센터", TEXT)
_SENTS = [s if s.endswith(".") else s + "." for s in TEXT.split(". ")]
HITS = [Hit(1, 1.0, Chunk(0, "d", DOC.title, TEXT, 0, len(TEXT),
                          tuple(Span(TEXT.index(s), TEXT.index(s) + len(s)) for s in _SENTS)))]


def _ask(scorer, q, weight=2.0, threshold=0.35, sentences=2, proposals=0):
    """The hybrid with a hand combiner: rule score + weight x agreement."""
    combiner = LinearRanker({"rule_rel": 1.0, "agree": weight})
    reader = HybridReader(RuleReader(abstain_threshold=threshold), scorer, combiner, sentences, proposals)
    return reader.read(q, Resolved(q, q), HITS, {"d": DOC})


def test_rule_candidates_with_exact_offsets_and_the_rule_citation():
    a = _ask(PointAt("2100억원"), "NHN 투자액은?")
    assert not a.abstained and a.text == "2100억원" and TEXT[a.start:a.end] == a.text
    assert a.sentence.text == "NHN은 2100억원을 투자한다."


def test_a_strong_vote_moves_the_choice_and_weight_zero_is_the_rule_reader():
    q = "돈은 얼마야?"
    rule_alone = RuleReader(abstain_threshold=0.0).read(q, Resolved(q, q), HITS, {"d": DOC})
    assert rule_alone.text in ("899억원", "2100억원")
    assert _ask(PointAt("899억원"), q, weight=0.0, threshold=0.0).text == rule_alone.text
    other = "899억원" if rule_alone.text != "899억원" else "2100억원"
    assert _ask(PointAt(other), q, weight=100.0, threshold=0.0).text == other


def test_abstention_stays_the_rule_readers():
    scorer = PointAt("NHN")
    a = _ask(scorer, "삼성전자 대표이사의 아내는 누구야?")
    assert a.abstained and a.text is None and scorer.calls == 1


def test_the_model_reads_only_the_best_candidates_sentences_and_the_one_before():
    q = "돈은 얼마야?"
    best = RuleReader(abstain_threshold=0.0).read(q, Resolved(q, q), HITS, {"d": DOC})
    other = "899억원" if best.text != "899억원" else "2100억원"
    whole, few = PointAt(other), PointAt(other)
    assert _ask(whole, q, weight=100.0, threshold=0.0, sentences=0).text == other
    assert whole.seen == [[TEXT]]
    # One sentence read: the rule's best one and the sentence before it, as one run of the document.
    assert _ask(few, q, weight=100.0, threshold=0.0, sentences=1).text == best.text
    (pieces,) = few.seen
    assert len(pieces) == 1 and pieces[0] in TEXT and len(pieces[0]) < len(TEXT)
    assert pieces[0].endswith(best.sentence.text)


def test_sentences_and_proposals_must_not_be_negative():
    with pytest.raises(ValueError, match="sentences"):
        HybridReader(RuleReader(), PointAt("x"), sentences=-1)
    with pytest.raises(ValueError, match="proposals"):
        HybridReader(RuleReader(), PointAt("x"), proposals=-1)


def test_a_span_no_rule_candidate_is_joins_the_options_with_exact_offsets():
    q = "정부 지원은?"
    target = "정부는 899억원"
    scored = RuleReader().candidates(Resolved(q, q), HITS, {"d": DOC})
    assert target not in {s.cand.text for s in scored}
    assert _ask(PointAt(target), q, weight=100.0, sentences=0, proposals=0).text != target
    a = _ask(PointAt(target), q, weight=100.0, sentences=0, proposals=1)
    assert a.text == target and TEXT[a.start:a.end] == target and not a.abstained
    assert a.sentence.text == "정부는 899억원을 지원한다."


def test_every_option_has_the_combiners_features():
    q = "NHN 투자액은?"
    reader = HybridReader(RuleReader(), PointAt("NHN은 2100억원"), LinearRanker({}), sentences=0, proposals=3)
    scored = reader.rule.candidates(Resolved(q, q), HITS, {"d": DOC})
    options = reader.options(q, scored, reader.spans(q, scored, HITS))
    assert len(options) == len(scored) + 1
    assert all(set(o.features) == set(FEATURES) for o in options)
    (model_only,) = [o for o in options if o.features["is_rule"] == 0.0]
    assert model_only.scored.cand.text == "NHN은 2100억원" and model_only.features["span_logp"] == 0.0
    # typed as the rules would: a phrase, no amount, clashes with a question after one
    assert model_only.scored.cand.kind == "phrase" and model_only.features["type_clash"] == 1.0


class ScoresToo(PointAt):
    """PointAt whose model also scores the spans it is asked about: 3 below its best for "899억원"."""

    def predict_and_score(self, question, contexts, top, spans):
        scores = [[2.0 if c[a:b] == "899억원" else None for a, b in ss] for c, ss in zip(contexts, spans)]
        return self.predict(question, contexts, top), scores


def test_a_candidate_the_model_read_gets_its_score_for_exactly_that_span():
    q = "NHN 투자액은?"
    options = {}
    for scorer in (PointAt("2100억원"), ScoresToo("2100억원")):
        reader = HybridReader(RuleReader(), scorer, LinearRanker({}), sentences=0, proposals=0)
        scored = reader.rule.candidates(Resolved(q, q), HITS, {"d": DOC})
        assert "899억원" in [s.cand.text for s in scored]
        spans = reader.spans(q, scored, HITS)
        options[type(scorer).__name__] = {o.scored.cand.text: o.features for o in reader.options(q, scored, spans)}
        assert not [m for m in spans if m.exact and not isinstance(scorer, ScoresToo)]
    assert options["PointAt"]["899억원"]["span_logp"] == -12.0             # not among the model's own spans
    assert options["ScoresToo"]["899억원"]["span_logp"] == -3.0             # 2.0 against its best span's 5.0
    assert options["ScoresToo"]["899억원"]["agree"] == options["PointAt"]["899억원"]["agree"]   # no vote of its own
    assert options["ScoresToo"]["2100억원"] == options["PointAt"]["2100억원"]


@pytest.mark.parametrize("q, clash", [("NHN 투자 기간은?", 1.0), ("NHN 투자액은?", 0.0), ("NHN은 무엇을 했어?", 0.0)])
def test_a_model_only_span_gets_the_rules_type_features(q, clash):
    reader = HybridReader(RuleReader(), PointAt("2100억원"), LinearRanker({}), sentences=0, proposals=3)
    scored = [s for s in reader.rule.candidates(Resolved(q, q), HITS, {"d": DOC}) if s.cand.text != "2100억원"]
    (model_only,) = [o for o in reader.options(q, scored, reader.spans(q, scored, HITS)) if not o.features["is_rule"]]
    assert model_only.scored.cand.kind == "money" and model_only.features["type_clash"] == clash


def test_the_shipped_combiner_names_its_training():
    combiner = LinearRanker.load_default("hybrid.json")
    assert set(combiner.weights) == set(FEATURES)
    assert {"span_model_sha256", "korquad_sha256", "sentences", "proposals", "cv_em"} <= set(combiner.meta)


def test_a_vote_for_a_weaker_candidate_does_not_turn_an_answer_into_an_abstention():
    q = "NHN 투자액은?"
    scored = RuleReader().candidates(Resolved(q, q), HITS, {"d": DOC})
    best = max(scored, key=lambda s: s.score)
    # (one in a sentence about another topic, "정부는 …", stands on its own evidence: the next test)
    weaker = min((s for s in scored if "NHN" in s.sent_text), key=lambda s: s.confidence)
    assert weaker.confidence < best.confidence
    threshold = (weaker.confidence + best.confidence) / 2   # the rule reader answers; the weaker one alone would not
    a = _ask(PointAt(weaker.cand.text), q, weight=1000.0, threshold=threshold, sentences=0)
    assert not a.abstained and a.text == weaker.cand.text and a.confidence == best.confidence


def test_a_combiner_fit_for_other_weights_is_refused(monkeypatch):
    from qa.errors import ModelError
    from qa.reader import factory
    good = factory.shipped_combiner()              # the shipped file matches the shipped span model
    stale = LinearRanker(good.weights, 0.0, {**good.meta, "span_model_sha256": "0" * 64})
    monkeypatch.setattr(LinearRanker, "load_default", staticmethod(lambda name="ranker.json": stale))
    with pytest.raises(ModelError, match="train_hybrid.py"):
        factory.shipped_combiner()


def test_at_trust_the_rule_reader_answers_alone_and_the_model_is_not_asked():
    q = "NHN 투자액은 얼마야?"     # not "돈은 얼마야?": two amounts as sure are contested (test_alone.py)
    best = RuleReader(abstain_threshold=0.0).read(q, Resolved(q, q), HITS, {"d": DOC})
    other = "899억원" if best.text != "899억원" else "2100억원"
    combiner = LinearRanker({"rule_rel": 1.0, "agree": 100.0})
    trusting, wary = PointAt(other), PointAt(other)
    rule = RuleReader(abstain_threshold=0.0)
    alone = HybridReader(rule, trusting, combiner, 2, 0, trust=best.confidence).read(q, Resolved(q, q), HITS, {"d": DOC})
    assert alone.text == best.text and trusting.calls == 0
    above = HybridReader(rule, wary, combiner, 2, 0, trust=best.confidence + 1e-6).read(q, Resolved(q, q), HITS, {"d": DOC})
    assert above.text == other and wary.calls == 1
    with pytest.raises(ValueError, match="trust"):
        HybridReader(rule, wary, combiner, trust=0.0)


def test_a_question_in_another_language_than_the_passage_is_the_rule_readers_alone():
    rule = RuleReader(abstain_threshold=0.0)
    combiner = LinearRanker({"rule_rel": 1.0, "agree": 100.0})
    for q in ("How much will NHN invest?", "NHN 투자액은?"):
        best = rule.read(q, Resolved(q, q), HITS, {"d": DOC})
        scorer = PointAt("899억원" if best.text != "899억원" else "2100억원")
        got = HybridReader(rule, scorer, combiner, 0, 0, trust=math.inf, typed_trust=math.inf).read(
            q, Resolved(q, q), HITS, {"d": DOC})
        english = q.startswith("How")
        assert best.text and scorer.calls == (0 if english else 1)       # the English one never meets the model
        assert (got.text == best.text) == english


def test_under_whole_below_the_model_reads_the_top_passage_whole():
    q = "돈은 얼마야?"
    rule = RuleReader(abstain_threshold=0.0)
    best = rule.read(q, Resolved(q, q), HITS, {"d": DOC})
    combiner = LinearRanker({"rule_rel": 1.0, "agree": 2.0})
    low, high = PointAt("2100억원"), PointAt("2100억원")
    HybridReader(rule, low, combiner, 1, 0, whole_below=best.confidence + 1e-6).read(q, Resolved(q, q), HITS, {"d": DOC})
    assert low.seen == [[TEXT]]
    HybridReader(rule, high, combiner, 1, 0, whole_below=best.confidence).read(q, Resolved(q, q), HITS, {"d": DOC})
    (pieces,) = high.seen
    assert len(pieces) == 1 and len(pieces[0]) < len(TEXT)
    with pytest.raises(ValueError, match="whole_below"):
        HybridReader(rule, high, combiner, trust=0.8, whole_below=0.9)


def test_a_whole_read_also_reads_the_rule_answers_sentence_in_a_lower_passage():
    other_text = "광주시는 올해 문화행사를 연다. 축제는 5월에 열린다."
    other = Hit(1, 1.0, Chunk(0, "o", "행사", other_text, 0, len(other_text), (Span(0, 17), Span(18, len(other_text)))))
    hits = [other, Hit(2, 0.9, HITS[0].chunk)]
    q = "NHN 투자액은?"
    rule = RuleReader(abstain_threshold=0.0)
    scorer = PointAt("2100억원")
    reader = HybridReader(rule, scorer, LinearRanker({"rule_rel": 1.0, "agree": 2.0}), 2, 0,
                          trust=math.inf, whole_below=math.inf)
    a = reader.read(q, Resolved(q, q), hits, {"d": DOC, "o": Document("o", "행사", other_text)})
    assert a.text == "2100억원"
    (pieces,) = scorer.seen
    # the top passage whole, then the rule answer's sentence and the one before it (not all of TEXT)
    assert pieces[0] == other_text and pieces[1].endswith("NHN은 2100억원을 투자한다.") and len(pieces) == 2
    assert len(pieces[1]) < len(TEXT)
    # the answer's passage on top: one whole read, nothing added
    scorer.seen.clear()
    reader.read(q, Resolved(q, q), hits[::-1], {"d": DOC, "o": Document("o", "행사", other_text)})
    assert scorer.seen == [[TEXT]]


def test_the_shipped_combiner_trusts_the_rules_only_where_dev_a_allows():
    meta = LinearRanker.load_default("hybrid.json").meta
    assert meta.get("trust") is None or 0.5 <= meta["trust"] <= 1.0
    # the model's word counts for answering from a confidence fit by eval/fit_abstention.py, above the
    # abstain threshold it was fit with, and it cut false abstentions on held-out dev-a
    abstention = meta["abstention"]
    assert abstention["abstain_threshold"] <= abstention["model_trust"] < 1.0
    assert abstention["chosen"]["false_abstain"] < abstention["rules_alone"]["false_abstain"]


def test_the_asked_kind_of_number_answers_alone_from_typed_trust():
    q = "투자 금액은 얼마야?"     # the rule reader: 2100억원, a money amount, confidence 0.64 (899억원: 0.33)
    combiner = LinearRanker({"rule_rel": 1.0, "agree": 100.0})

    def read(scorer, typed_trust, question=q):
        reader = HybridReader(RuleReader(abstain_threshold=0.0), scorer, combiner, 2, 0,
                              trust=math.inf, typed_trust=typed_trust)
        return reader.read(question, Resolved(question, question), HITS, {"d": DOC})
    alone = PointAt("899억원")
    assert read(alone, 0.6).text == "2100억원" and alone.calls == 0
    asked = PointAt("899억원")
    assert read(asked, 0.7).text == "899억원" and asked.calls == 1          # under the threshold
    asked = PointAt("899억원")
    assert read(asked, math.inf).text == "899억원" and asked.calls == 1
    not_a_number = PointAt("국가 AI 데이터센터")
    read(not_a_number, 0.0, "광주시는 무엇을 짓는다고 했어?")
    assert not_a_number.calls == 1


def test_the_asked_purpose_answers_alone_from_typed_trust():
    # the span model takes what was built for the purpose ("AI기술센터"); a stated purpose is the rules'
    text = "티맥스소프트는 단지의 인프라를 활용하기 위해 광주에 AI기술센터를 세웠다."
    hits = [Hit(1, 1.0, Chunk(0, "t", "센터", text, 0, len(text), (Span(0, len(text)),)))]
    q = "티맥스소프트는 왜 센터를 세웠어?"
    model = PointAt("AI기술센터")
    reader = HybridReader(RuleReader(abstain_threshold=0.0), model, LinearRanker({"agree": 100.0}), 0, 1,
                          trust=math.inf, typed_trust=0.0)
    got = reader.read(q, Resolved(q, q), hits, {"t": Document("t", "센터", text)})
    assert got.text.endswith("활용하기 위해") and model.calls == 0


def test_typed_trust_must_be_a_confidence():
    with pytest.raises(ValueError, match="typed_trust"):
        HybridReader(RuleReader(), PointAt("x"), LinearRanker({}), typed_trust=-1.0)


def test_an_alias_definition_outside_the_passage_is_read_as_its_own_sentence():
    # The rule reader reads the sentence defining an alias from the whole document ("광주과학기술원(GIST)"),
    # though the passage retrieved is another: the model must read that sentence, or the combiner takes
    # "not read" for "the model disagrees" (span_logp at FLOOR).
    from qa.reader.pieces import candidate_pieces
    head = "광주과학기술원(GIST)은 현판식을 열었다. "
    doc_text = head + TEXT
    passage = Chunk(3, "d", DOC.title, TEXT, len(head), len(doc_text), HITS[0].chunk.sentences)
    hit = Hit(1, 1.0, passage)
    sent = head.strip()
    q = "GIST의 한글 이름은?"
    scored = RuleReader(abstain_threshold=0.0).candidates(Resolved(q, q), [hit], {"d": Document("d", DOC.title, doc_text)})
    alias = next(s for s in scored if s.cand.text == "광주과학기술원")
    inside = next(s for s in scored if s.cand.text == "2100억원")
    pieces = candidate_pieces([alias, inside], 2)
    assert len(pieces) == 2
    own = next(p for p in pieces if p[0].chunk.text == sent)
    h, a, b = own
    assert (a, b) == (0, len(sent)) and h.chunk.start == 0 and doc_text[h.chunk.start:h.chunk.end] == sent
    assert h.chunk.doc_id == "d" and h.rank == hit.rank
    # the other candidate's sentence is read from its passage as before
    rest = next(p for p in pieces if p is not own)
    assert rest[0] is hit and TEXT[rest[1]:rest[2]].endswith("NHN은 2100억원을 투자한다.")


class Windowed(PointAt):
    """PointAt with windows: one word is one token, and `room` words fit one window."""

    def __init__(self, target, room):
        super().__init__(target)
        self.room = room

    def window_room(self, question, text):
        import re
        return self.room, [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


@pytest.mark.parametrize("room, spill, cut", [(8, 64, True), (11, 64, False), (8, 2, False), (8, 0, False)])
def test_a_passage_a_little_over_one_window_is_read_as_the_sentences_that_fit(room, spill, cut):
    q = "NHN 투자액은?"                    # TEXT is 11 words: 5 + 3 + 3 in its sentences
    scorer = Windowed("2100억원", room)
    reader = HybridReader(RuleReader(abstain_threshold=0.0), scorer, LinearRanker({"rule_rel": 1.0, "agree": 2.0}),
                          sentences=0, proposals=0, trust=math.inf, typed_trust=math.inf, spill=spill)
    a = reader.read(q, Resolved(q, q), HITS, {"d": DOC})
    ((piece,),) = scorer.seen
    assert a.text == "2100억원" and TEXT[a.start:a.end] == a.text
    if cut:        # the rule reader's answer sentence stays in; the piece is whole sentences that fit
        assert piece != TEXT and piece in TEXT and "NHN은 2100억원을 투자한다." in piece
        assert len(piece.split()) <= room and piece.endswith(".")
    else:
        assert piece == TEXT


def test_spill_must_not_be_negative():
    with pytest.raises(ValueError, match="spill"):
        HybridReader(RuleReader(), PointAt("x"), spill=-1)


RANGE = "대학원은 오는 2027년까지 인재 양성을 위해 2024년부터 매년 석사 40명을 뽑는다."
RANGE_HITS = [Hit(1, 1.0, Chunk(0, "r", "선발", RANGE, 0, len(RANGE), (Span(0, len(RANGE)),)))]


def _range_options(q, target, proposals=0, drop=()):
    reader = HybridReader(RuleReader(), PointAt(target), LinearRanker({}), sentences=0, proposals=proposals)
    scored = [s for s in reader.rule.candidates(Resolved(q, q), RANGE_HITS, {"r": Document("r", "선발", RANGE)})
              if s.cand.text not in drop]
    return {o.scored.cand.text: o.features for o in reader.options(q, scored, reader.spans(q, scored, RANGE_HITS))}


def test_the_other_bound_of_a_range_clashes_for_rule_and_model_options():
    # "언제부터" is not answered by "2027년까지", however strongly the model votes for it
    options = _range_options("대학원은 언제부터 석사를 뽑았어?", "2027년")
    assert options["2027년"]["type_clash"] == 1.0 and options["2024년"]["type_clash"] == 0.0
    model_only = _range_options("대학원은 언제부터 석사를 뽑았어?", "2027년", proposals=1, drop=("2027년",))
    assert model_only["2027년"]["is_rule"] == 0.0 and model_only["2027년"]["type_clash"] == 1.0
    assert _range_options("대학원은 언제까지 석사를 뽑아?", "2024년")["2024년"]["type_clash"] == 1.0


def test_a_place_asked_is_not_answered_with_the_question_own_place():
    from qa.reader.hybrid import _says_back
    assert _says_back("광주시", {"광주", "어디"}) and _says_back("광주", {"광주"})
    assert not _says_back("광주첨단3지구", {"광주"})

"""HybridReader: rule candidates and the span model's own spans, ranked by one learned linear model.

    reader = HybridReader(RuleReader(), scorer)
    reader.read(question, resolved, hits, documents)

The rule reader knows Korean answer forms (amounts, dates, counters, names)
and how to abstain on our documents; the span model knows which part of a
passage the question points at. The rule reader answers alone when its best
candidate has full evidence (`trust`) or is the very kind of number (or the purpose, the list, the noun
asked after 어떤) asked (`typed_trust`, alone.states_asked_form()), unless another candidate is as sure, as
fit and close in score (alone.contested()); when a candidate is the example asked for
(alone.asked_example()), or the rules' best is what the text says its subject is; and when the question
and the top passage are in different languages (alone.crosses_languages(): the model learned from
same-language pairs). Otherwise the model reads the sentences of the best rule
candidates (each with the sentence before it), or the top passage whole when the
rule reader's confidence is low (`whole_below`; `sentences=0`: always, the shipped
choice since Dec 2), with the rule reader's answer sentence when another passage
holds it. The options are every rule candidate plus the model's best
`proposals` spans that no rule candidate already is; each gets the FEATURES
below and the combiner (`hybrid.json`, a conditional logit fit on held-out
KorQuAD dev-a by `python eval/train_hybrid.py`) picks one.
Whether to answer at all is the rule reader's call on its own best candidate, with two exceptions:
when the span model is sure that the pick's passage answers (its calibrated confidence, its best
span there against the null score, at or above `model_trust`; not another passage's sureness), every name the question asks about occurs in the
documents and the pick fits the question (unfit()), the answer's confidence is the model's; and a
pick from a sentence about another topic than the name asked (sibling.about_another_topic) answers on
its own evidence only. On KorQuAD-like documents the rule reader's
evidence alone abstained on 31% of answerable held-out dev-a questions (eval/fit_abstention.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import islice

from ..conversation import Resolved
from ..listing import Listed, listed_in
from ..types import Answer, Document, Hit
from .alone import asked_example, best_rule, crosses_languages, rules_alone
from .boundary import trim_particles
from .evidence import eojeol_stems, hit_documents, missing_names, missing_terms
from .features import answer_clash
from .neural.reader import model_confidence, trim_edges
from .option_features import agreement, echo, kind_of
from .pieces import candidate_pieces, candidates_in, chunk_key, doc_span, fitting_piece
from .proposals import offerable
from .question import QuestionInfo
from .ranker import LinearRanker
from .referent import titled_referent
from .rule_reader import RuleReader, Scored, question_info, region_of
from .scoring import NUMERIC, other_family, type_score
from .sibling import about_another_topic, asked_names, frame_words, names_asked, sentence_texts
from .span import Candidate

# is_rule: a rule candidate (0: a span only the model proposed); rule_rel: its rule score minus
# the best rule score; agree: the model's agreement with it (overlap x span weight, agreement());
# span_logp: the model's log-weight for exactly this span (its start + end score against its best
# span's, for every candidate it read; FLOOR when it did not read it or likes it less than e^FLOOR);
# type / type_clash: the rule reader's answer-type fit and clash, for a model span too (its kind as
# the rules' extraction reads it, kind_of()): "데이터센터 계산 능력이 어느 정도야?" is not 2100억원;
# echo: how much of the option the question already says (echo()): the rules drop their own
# candidates that repeat the question, the model proposes them ("GIST의 한글 이름은?" -> "GIST AI대학원").
FEATURES = ("is_rule", "rule_rel", "agree", "span_logp", "type", "type_clash", "echo")
FLOOR = -12.0
TOP_SPANS = 20        # model spans per piece that vote
# spill: a whole read of a passage that overflows one window by at most this many tokens reads the
# sentences that fit instead of a second window (whole_piece()). Off by default (Settings.read_spill,
# QA_READ_SPILL): at 64 (half the windows' stride), measured Dec 3, warm ask p95 185 -> 158 ms on our
# set's questions (eval/bench_spill.py) for KorQuAD dev-b reader EM 68.2 -> 67.3 and one held-out
# question (README, "Reading one window instead of two"). The cut piece is tokenized anew, and may
# come out a token longer than its sentences' count in the passage: then a one-token second window.
SPILL = 0


@dataclass(frozen=True)
class Option:
    """One answer the hybrid can give: a rule candidate or a model-only span, with its FEATURES and the
    model's margin on its passage (the best ModelSpan.margin there; None: not read whole)."""

    scored: Scored
    features: dict
    margin: float | None = None


@dataclass(frozen=True)
class ModelSpan:
    """One span of the model on a hit's chunk: raw [start, end), trimmed [t_start, t_end) (chunk offsets)."""

    hit: Hit
    start: int
    end: int
    t_start: int
    t_end: int
    logp: float          # span score minus the question's best span score (<= 0)
    exact: bool = False  # the model's score for a rule candidate it read (not one of its own best spans)
    margin: float | None = None   # span score minus its passage's lowest null score (passages read whole)

    @property
    def key(self) -> tuple[str, int, int]:
        """(doc id, document start, document end) of the trimmed span."""
        c = self.hit.chunk
        return c.doc_id, c.start + self.t_start, c.start + self.t_end


@dataclass(frozen=True)
class Choice:
    """The hybrid's pick before abstention: the option, the rule reader's confidence in its own best
    candidate (or in the pick, when that is from a sentence about another topic), the model's margin on
    the pick's passage (its best span score minus the null score: that the passage answers; None: the
    model was not asked or did not read it whole) and the question's analysis (made once: Kiwi reads
    the question)."""

    best: Scored
    rule_confidence: float
    margin: float | None
    info: QuestionInfo
    unfit: bool = False    # no sure model may answer for the pick: unfit(), or about another topic


class HybridReader:
    """`Reader` over the rule reader and a `SpanScorer`; `combiner`, `sentences`, `proposals`, `trust`
    and `whole_below` default to the shipped hybrid.json (tests pass a hand combiner).

    A whole read (sentences=0, or the rule reader's best confidence below `whole_below`) covers
    the top `max_passages` passages, plus the rule reader's answer sentence (and the one before)
    when it lies in none of them.
    """

    def __init__(self, rule: RuleReader, scorer, combiner: LinearRanker | None = None,
                 sentences: int | None = None, proposals: int | None = None, max_passages: int = 1,
                 trust: float | None = None, whole_below: float | None = None, typed_trust: float | None = None,
                 model_trust: float | None = None, calibration: tuple[float, float] = (1.0, 0.0),
                 spill: int = SPILL):
        self.combiner = combiner or LinearRanker.load_default("hybrid.json")
        meta = self.combiner.meta
        self.sentences = int(meta.get("sentences", 2)) if sentences is None else sentences
        self.proposals = int(meta.get("proposals", 3)) if proposals is None else proposals
        # trust: at or above this rule confidence the rule reader answers alone (no cascade: inf)
        self.trust = threshold(meta.get("trust")) if trust is None else trust
        # typed_trust: the same for an answer that is the very kind of number or the purpose asked (states_asked_form)
        self.typed_trust = threshold(meta.get("typed_trust")) if typed_trust is None else typed_trust
        # whole_below: under this rule confidence the candidates' sentences are too likely the wrong
        # ones, and the model reads the top passage whole (0: never)
        self.whole_below = float(meta.get("whole_below") or 0.0) if whole_below is None else whole_below
        # model_trust: from this calibrated model confidence the model's word counts for answering
        # (hybrid.json's "abstention" block, eval/fit_abstention.py; absent: never)
        abstention = meta.get("abstention") or {}
        self.model_trust = threshold(abstention.get("model_trust")) if model_trust is None else model_trust
        self.calibration = calibration
        if self.sentences < 0 or self.proposals < 0:
            raise ValueError("sentences and proposals must be >= 0 (sentences 0: read whole passages)")
        if not 0 <= self.whole_below <= self.trust:
            raise ValueError(f"whole_below must lie in [0, trust={self.trust}], not {self.whole_below}")
        if max_passages < 1:
            raise ValueError(f"max_passages must be >= 1, not {max_passages}")
        if not 0 < self.model_trust:
            raise ValueError(f"model_trust must be > 0 (a calibrated confidence; inf: never), not {self.model_trust}")
        if not self.trust > 0 or not self.typed_trust >= 0:
            raise ValueError(f"trust must be > 0 and typed_trust >= 0 (rule confidences; inf: never answer alone), "
                             f"not {self.trust} and {self.typed_trust}")
        if spill < 0:
            raise ValueError(f"spill must be >= 0 tokens (0: always read a passage whole), not {spill}")
        self.rule = rule
        self.scorer = scorer
        self.max_passages = max_passages
        self.spill = spill

    def warm(self) -> None:
        """Load the span model now (it loads on the first question the cascade passes on)."""
        self.scorer.warm()

    def read(self, question: str, resolved: Resolved, hits: list[Hit],
             documents: dict[str, Document] | None = None) -> Answer:
        choice = self.choose(resolved, hits, documents)
        if choice is None:
            return self.rule.answer(question, resolved, None, hits, documents)
        # Whether the documents answer at all is the rule reader's call on its own best
        # candidate: a vote for a span the rules rank lower must not turn an answer into
        # an abstention (own set: false abstentions 9.2% -> 1.6%, abstain recall 93.8 -> 100).
        # A sure model may turn an abstention into an answer (answer_confidence()).
        conf = self.answer_confidence(choice.rule_confidence, choice.margin, choice.info, hits, documents,
                                      resolved.text, choice.unfit)
        return self.rule.answer(question, resolved, replace(choice.best, confidence=conf), hits, documents)

    def choose(self, resolved: Resolved, hits: list[Hit], documents: dict[str, Document] | None = None) -> "Choice | None":
        """The answer candidate, before abstention; None when the rules find no candidate at all."""
        scored = self.rule.candidates(resolved, hits, documents)
        if not scored:
            return None
        rule_best = best_rule(scored)
        info = question_info(resolved)
        if example := asked_example(resolved.text, scored, info):
            # the example the text gives of what is asked for by example: the model is not asked
            return Choice(example, example.confidence, None, info)
        if rules_alone(info, scored, rule_best, self.trust, self.typed_trust) or \
                rule_best.features.get("says_kind", 0.0) > 0 or crosses_languages(resolved.text, hits[0].chunk.text):
            # The rules' evidence is complete (every question word near a candidate of the asked type) or
            # their answer is the very kind of number or the purpose asked, and no other candidate is as sure,
            # as fit and close in score (alone.contested); or their answer is what the text says its subject
            # is when asked what kind of thing it is (features._says_kind: the model takes "어떤 회사" for a
            # name); or the model would read across languages: the model is not asked.
            return Choice(rule_best, rule_best.confidence, None, info)
        whole = rule_best.confidence < self.whole_below
        spans = self.spans(resolved.text, scored, hits, whole)
        listed = listed_in(hit_documents(hits, documents).values())
        names = names_asked(resolved.text, resolved.topic, resolved.carried)
        options = self.options(resolved.text, scored, spans, info, listed, names)
        best = max(options, key=lambda o: self.combiner.score(o.features))
        if about_another_topic(best.scored.sent_text, names, sentence_texts(best.scored.hit.chunk)):
            # a pick from a sentence about another topic ("AI융복합단지는 2020~2024년 …" for "SoS Lab은 몇 년에
            # 설립됐나요?") answers on its own evidence, however sure the rules are of theirs or the model
            # (a span only the model proposed has no evidence of the rules' own: confidence 0, so it abstains)
            return Choice(best.scored, min(rule_best.confidence, best.scored.confidence), best.margin, info, True)
        return Choice(best.scored, rule_best.confidence, best.margin, info, unfit(best, info))

    def answer_confidence(self, rule_confidence: float, margin: float | None, info: QuestionInfo,
                          hits: list[Hit], documents: dict[str, Document] | None, question: str,
                          unfit: bool = False) -> float:
        """The rule reader's confidence, or the model's calibrated one where that is higher, at least
        `model_trust`, no name the question asks about is missing from the documents and the answer
        fits the question (`unfit`: "인력 규모는?" is not answered by "3939억원", however sure the model).

        The model's null score knows when a passage does not answer (on held-out dev-a with each
        question's own paragraph removed it abstains as often as the rules) but not when the question
        swaps one company for another ("카카오 투자액은?" over a text on NHN): the rules' missing
        names veto it. Missing common nouns do not: KorQuAD's answerable questions often use words
        their paragraph does not (나라, 제목, 언급), and the rules' confidence halves for each.
        """
        if margin is None or unfit:
            return rule_confidence
        sure = model_confidence(margin, self.calibration)
        if sure < self.model_trust or sure <= rule_confidence:
            return rule_confidence
        if missing_names(info, missing_terms(info, hits[:self.rule.max_passages], documents, question)):
            return rule_confidence
        return sure

    def spans(self, question: str, scored: list[Scored], hits: list[Hit], whole: bool = False) -> list[ModelSpan]:
        """The model's spans over the pieces it reads (whole: the top passages whole), best first, each
        with its margin over the lowest null score of its passage when that passage was read whole (the
        calibration was fit on whole passages; a sentence read, None)."""
        passages = 0
        if self.sentences and not whole:
            pieces = candidate_pieces(scored, self.sentences)
        else:
            top = hits[:self.max_passages]
            pieces = [self.whole_piece(question, scored, h) for h in top]
            passages = len(pieces)
            answer = best_rule(scored) if scored else None
            if answer is not None and chunk_key(answer.hit) not in {chunk_key(h) for h in top}:
                # The rule reader's answer lies in a passage the whole read skips: without its
                # sentence the combiner would take "not read" for "the model disagrees" (FLOOR).
                pieces += candidate_pieces([answer], 1)
        texts = [hit.chunk.text[a:b] for hit, a, b in pieces]
        asked = [candidates_in(scored, hit, off, end) for hit, off, end in pieces]
        preds, exact = self.scorer.predict_and_score(question, texts, TOP_SPANS, asked)
        # the null score a passage's spans are measured against: its lowest, as the neural reader's
        nulls = [min((p.null for p in ps), default=None) if k < passages else None for k, ps in enumerate(preds)]
        raw = []
        for (hit, off, _), text, ps, null in zip(pieces, texts, preds, nulls):
            for p in ps:
                cut = trim_edges(text, p)
                if cut is not None:
                    ta, tb = trim_particles(text, *cut)
                    raw.append((hit, off + p.start, off + p.end, off + ta, off + tb, p.score,
                                None if null is None else p.score - null))
        top = max((r[5] for r in raw), default=0.0)
        out = [ModelSpan(*r[:5], r[5] - top, margin=r[6]) for r in raw]
        # Each rule candidate the model read gets the model's own score for exactly it: its top
        # spans alone left most candidates at FLOOR, "not among the model's best 20".
        out += [ModelSpan(hit, off + a, off + b, off + a, off + b, min(0.0, score - top), exact=True,
                          margin=None if null is None else score - null)
                for (hit, off, _), spans, scores, null in zip(pieces, asked, exact, nulls)
                for (a, b), score in zip(spans, scores) if score is not None]
        return sorted(out, key=lambda m: -m.logp)

    def whole_piece(self, question: str, scored: list[Scored], hit: Hit) -> tuple[Hit, int, int]:
        """The top passage to read whole, or the sentences of it that fit one window when it overflows
        one by at most `spill` tokens (pieces.fitting_piece). A second window costs ~40% of a whole read."""
        whole = (hit, 0, len(hit.chunk.text))
        fit = self.scorer.window_room(question, hit.chunk.text) if self.spill and scored else None
        return whole if fit is None else fitting_piece(hit, scored, best_rule(scored), *fit, self.spill)

    def options(self, question: str, scored: list[Scored], spans: list[ModelSpan],
                info: QuestionInfo | None = None, listed: Listed | None = None,
                names: tuple[str, ...] | None = None) -> list[Option]:
        """The rule candidates and up to `proposals` model-only spans, each with its FEATURES.

        `info`: the question's analysis (a follow-up's keeps its topic's answer type); default:
        the question read on its own. `listed(a, b)`: do the documents list a and b together
        (qa.listing; None: not known, so clauses framed by a topic particle are not compared).
        `names`: the names asked about (sibling.names_asked; default: those the question marks)."""
        info = info or question_info(Resolved(question, question))
        exact, margins = {}, {}
        for m in spans:
            if m.exact:
                exact[m.key] = max(m.logp, exact.get(m.key, FLOOR))
            if m.margin is not None:
                # per passage: the model's best span there against the null score, whichever span is picked
                margins[chunk_key(m.hit)] = max(m.margin, margins.get(chunk_key(m.hit), m.margin))
        spans = [m for m in spans if not m.exact]
        votes = [(m.hit.chunk.doc_id, m.hit.chunk.start + m.start, m.hit.chunk.start + m.end, math.exp(m.logp))
                 for m in spans]
        best_of: dict[tuple, ModelSpan] = {}
        for m in spans:                        # best first: the first span of a key is its best
            best_of.setdefault(m.key, m)
        rule_best = max(s.score for s in scored)
        reach: dict[str, tuple[int, int]] = {}    # doc id -> (first, last) char any vote covers
        for doc, a, b, _ in votes:
            lo, hi = reach.get(doc, (a, b))
            reach[doc] = (min(lo, a), max(hi, b))
        out, rule_keys = [], set()
        for s in scored:
            key = doc_span(s)
            rule_keys.add(key)
            logp = max(best_of[key].logp if key in best_of else FLOOR, exact.get(key, FLOOR))
            lo, hi = reach.get(key[0], (0, 0))
            # most candidates lie in sentences the model did not read: no vote can reach them
            agree = agreement(s, votes) if key[1] < hi and key[2] > lo else 0.0
            out.append(Option(s, {
                "is_rule": 1.0, "rule_rel": s.score - rule_best, "agree": agree,
                "span_logp": max(logp, FLOOR), "type": s.features.get("type", 0.0),
                "type_clash": 1.0 if s.features.get("type_clash") else 0.0, "echo": echo(s.cand.text, question)},
                margins.get(chunk_key(s.hit))))
        # which of the model's spans may be offered (proposals.offerable: no sibling of the name asked,
        # no clause or sentence about another item, no purpose with what was done for it; their votes count)
        names, framed_by = asked_names(question) if names is None else names, frame_words(question)
        # nor, asked where, the question's own place, alone or with a city's suffix ("광주 어디?" -> "광주",
        # "광주시"), as the rules do not
        own_places = set(eojeol_stems(question)) if info.answer_type == "place" else set()
        kept = (m for m in best_of.values() if offerable(m.hit.chunk, m.t_start, m.t_end, names, framed_by, listed)
                and not titled_referent(m.hit.chunk.text, m.t_start, m.t_end, question, info)
                and not (own_places and _says_back(m.hit.chunk.text[m.t_start:m.t_end], own_places)))
        for m in islice(kept, self.proposals):   # the checks run on the best spans only, until enough pass
            if m.key not in rule_keys:
                out.append(_proposal(m, rule_best, question, info, margins.get(chunk_key(m.hit))))
        return out


def _says_back(span: str, places: set[str]) -> bool:
    """Is the span one of the question's own words, or one with a city's suffix (rule_reader.region_of)?

    >>> _says_back("광주시", {"광주", "어디"}), _says_back("광주", {"광주"}), _says_back("첨단3지구", {"광주"})
    (True, True, False)
    """
    flat = span.replace(" ", "").lower()    # eojeol_stems lower-cases the question
    return flat in places or region_of(flat, places)


def unfit(option: Option, info: QuestionInfo) -> bool:
    """Is the option no answer a sure model may give where the rules abstain: a number of another kind
    than asked ("인력 규모는?" -> "3939억원")? Numbers of a known kind only (a sum, a date, a length, a
    count) or a measure in a unit of another family than asked ("전력은?" -> "88.5페타플롭스"): the rules
    read those surely, while a phrase's or a bare measure's clash may be theirs to misread ("몇 표
    앞섰나?" -> "286만 표", a phrase to them; "몇프로?" -> "50%", a measure). Nor is a span of a kind that is
    no number (a name, a phrase, a time word) that clashes with a date asked ("그 장관은 언제 취임했어?" ->
    "최기영"): the rules find dates surely. (A sentence
    naming none of the question's names, entity_gap 1, would also veto "티맥스소프트 투자 규모는?" -> the
    data center's "899억원", but on held-out dev-a it vetoed right answers by the dozen: Korean drops
    the subject a sentence is about.)"""
    cand = option.scored.cand
    if not option.features["type_clash"] > 0:
        return False
    known_number = cand.kind in NUMERIC - {"quantity"}
    other_unit = cand.kind == "quantity" and info.answer_type == "quantity" and other_family(info.counter, cand.text)
    no_date = info.answer_type == "date" and cand.kind not in NUMERIC
    return known_number or other_unit or no_date


def threshold(value) -> float:
    """A confidence threshold from hybrid.json (None or absent: inf, never)."""
    return math.inf if value is None else float(value)


def _proposal(m: ModelSpan, rule_best: float, question: str, info: QuestionInfo, margin: float | None) -> Option:
    """A model-only span as a candidate of the sentence(s) holding it (rule score: the best's, unused)."""
    chunk = m.hit.chunk
    sents = [sp for sp in chunk.sentences if sp.end > m.t_start and sp.start < m.t_end]
    a, b = (sents[0].start, sents[-1].end) if sents else (0, len(chunk.text))
    cand = Candidate(m.t_start - a, m.t_end - a, chunk.text[m.t_start:m.t_end],
                     kind_of(chunk.text[a:b], m.t_start - a, m.t_end - a))
    feats = {"is_rule": 0.0, "rule_rel": 0.0, "agree": math.exp(m.logp), "span_logp": max(m.logp, FLOOR),
             "type": type_score(info, cand), "type_clash": answer_clash(info, chunk.text[a:b], cand),
             "echo": echo(cand.text, question)}
    return Option(Scored(rule_best, 0.0, cand, m.hit, chunk.start + a, chunk.text[a:b], {}), feats, margin)

"""An extractive reader: the best short span of the best sentence.

    question -> expected answer type, question-word slot (question.py, features.py)
    top passages -> sentences -> candidate spans (candidates.py)
    score = linear ranker over features (type fit, sentence coverage,
            closeness to the question's words, boundaries, particles ...)
    confidence from coverage and type fit (evidence.py); abstain below the threshold.

No model is needed; a neural reader can replace it behind `Reader`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..conversation import Resolved
from ..korean import morphemes
from ..listing import listed_in
from ..types import Answer, Chunk, Citation, Document, Hit, Span
from .aliases import aliases_of, asked_aliases, defining_sentence, document_aliases
from .candidates import TITLES, Candidate, spans
from .dateline import asks_document_date, dateline
from .evidence import (confidence, coverage, eojeol_stems, hit_documents, missing_terms, past_date_for_future,
                       source_texts, tokens_of)
from .features import SentenceContext, features
from .numbers import with_asked_suffix
from .question import QuestionInfo, analyze, has_question_word
from .question_terms import entity_gap, in_document_words, mentions, question_entities, reads_as_name, weighted_terms
from .ranker import LinearRanker
from .referent import titled_referent
from .scoring import PLACE_SUFFIX, counter_clash
from .sibling import about_a_sibling, frame_words, in_other_frame, is_sibling, names_asked
from .slot import question_slot

MAX_PASSAGES = 4
MAX_SENTENCES = 10     # only the sentences that cover the question best are read span by span


@dataclass(frozen=True)
class Scored:
    score: float
    confidence: float
    cand: Candidate
    hit: Hit
    sent_start: int      # offset of the sentence in the document
    sent_text: str
    features: dict


class RuleReader:
    """`Reader` over Kiwi morphemes: rule-built candidates ranked by a linear model.

    The ranker's weights come from logistic regression on KorQuAD dev-a
    (eval/train_reader.py); the confidence that drives abstention is a
    separate, hand-calibrated measure of how well the sentence supports the
    question (tuned on our own dev questions).
    """

    def __init__(self, abstain_threshold: float = 0.35, max_passages: int = MAX_PASSAGES,
                 ranker: LinearRanker | None = None, max_sentences: int = MAX_SENTENCES):
        if not 0.0 <= abstain_threshold <= 1.0:
            raise ValueError("abstain_threshold must be within [0, 1]")
        self.abstain_threshold = abstain_threshold
        self.max_passages = max_passages
        self.max_sentences = max_sentences
        self.ranker = ranker or LinearRanker.load_default()

    def read(self, question: str, resolved: Resolved, hits: list[Hit],
             documents: dict[str, Document] | None = None) -> Answer:
        scored = self.candidates(resolved, hits, documents)
        return self.answer(question, resolved, max(scored, key=lambda s: s.score, default=None), hits, documents)

    def answer(self, question: str, resolved: Resolved, best: "Scored | None", hits: list[Hit],
               documents: dict[str, Document] | None = None) -> Answer:
        """The Answer for the chosen candidate (None: nothing found), abstaining below the threshold."""
        if best is None or best.confidence < self.abstain_threshold:
            conf = best.confidence if best else 0.0
            return Answer(question, resolved.text, None, conf, True, passages=tuple(hits))
        c, hit = best.cand, best.hit
        # "몇 년 동안?" -> "10년간", "언제까지?" -> "2023년까지", as the sentence writes them
        text = best.sent_text[c.start:with_asked_suffix(best.sent_text, c.start, c.end, resolved.text)]
        start = best.sent_start + c.start
        doc_id = hit.chunk.doc_id
        if documents and doc_id in documents and documents[doc_id].text[start:start + len(text)] != text:
            raise AssertionError(f"answer offsets do not match document {doc_id!r}")   # a bug, never user error
        sentence = Citation(doc_id, hit.chunk.title, best.sent_text, best.sent_start,
                            best.sent_start + len(best.sent_text))
        return Answer(question, resolved.text, text, best.confidence, False, doc_id, hit.chunk.title,
                      start, start + len(text), sentence, tuple(hits))

    def candidates(self, resolved: Resolved, hits: list[Hit],
                   documents: dict[str, Document] | None = None) -> list[Scored]:
        """Every candidate span of the top passages with its features, score and confidence."""
        info = question_info(resolved)
        if asks_document_date(info):
            # "이 기사 언제 올라왔어?": the document's own dateline, or nothing (a date it reports is not its own)
            return _dateline_candidates(hits[:self.max_passages], documents)
        terms = in_document_words(weighted_terms(info, resolved), hits, documents, resolved.text)
        hits = hits[:self.max_passages]
        slot = _slot(resolved)
        absent = missing_terms(info, hits, documents, resolved.text)
        # The very thing asked about missing ("라이다 센서 가격은?") counts twice.
        missing = len(absent) + (1 if slot.focus and slot.focus.lower() in absent else 0)
        doc_texts = hit_documents(hits, documents)
        entities = [e for e in question_entities(info, resolved.text, doc_texts) if not _borrowed_setting(e, resolved)]
        contexts = _top_sentences(list(_sentence_contexts(terms, hits, entities, documents)), self.max_sentences)
        # "GIST의 한글 이름은?": the other name the document gives, read where it is defined.
        aliases = asked_aliases(resolved.text, doc_texts)
        if aliases:
            contexts = _with_alias_sentences(contexts, aliases, terms, hits, documents)
        # Another name of something the question names is the question's own word too.
        own_names = set() if aliases else \
            aliases_of(set(terms) | set(eojeol_stems(resolved.text)), source_texts(hits, documents))
        best_cov = max((c.sent_cov for _, _, c in contexts), default=0.0)
        q_flat = resolved.text.replace(" ", "").lower()
        names = names_asked(resolved.text, resolved.topic, resolved.carried)
        framed_by, listed = frame_words(resolved.text), listed_in(doc_texts.values())
        out: list[Scored] = []
        for hit, sent_start, ctx in contexts:
            if about_a_sibling(hit.chunk, sent_start - hit.chunk.start, names, listed):
                continue   # "티맥스소프트는 … 작년 3월 설립했다" does not date SoS Lab, listed with it
            ctx = replace(ctx, cov_gap=best_cov - ctx.sent_cov)
            for cand in spans(ctx.text):
                novelty = _overlap(cand, terms)
                flat = cand.text.replace(" ", "").lower()
                # the question's own words, even where Kiwi cut them differently ("포스트코로나")
                if novelty >= 0.999 or _names_asker(cand, q_flat) or flat in own_names or \
                        (len(flat) >= 3 and flat in q_flat) or \
                        (info.answer_type == "place" and region_of(flat, terms)) or \
                        titled_referent(ctx.text, cand.start, cand.end, resolved.text, info):
                    continue   # the question's own words (or its own person) are not its answer
                if is_sibling(ctx.text, cand.start, cand.end, names):
                    continue   # nor what the text lists with the name asked about ("SoS Lab과 티맥스소프트")
                if in_other_frame(ctx.text, cand.start, cand.end, framed_by, listed):
                    continue   # nor what a clause about another item says ("헬스케어의 경우 ..." for 에너지)
                feats = features(info, terms, ctx, cand, slot, novelty)
                if aliases:
                    feats["alias"] = 1.0 if flat in aliases else 0.0
                conf = confidence(ctx.sent_cov, ctx.chunk_cov, feats["type"], feats["prox"], missing,
                                   ctx.entity_gap)
                if info.answer_type == "person" and not _is_people(cand):
                    conf *= 0.5   # "누구야?" answered by no one: the person asked about is probably not here
                if feats["type_clash"] or counter_clash(info, cand):
                    conf *= 0.3   # "나이는?" wants a number, "몇 층?" floors: a phrase, or 2개동, answers neither
                if past_date_for_future(info, ctx.text, cand):
                    conf *= 0.4   # "언제 문을 열어?" is not answered by "지난 2019년 선정된"
                out.append(Scored(self.ranker.score(feats), conf, cand, hit, sent_start, ctx.text, feats))
        return out


DATELINE_CONFIDENCE = 0.9   # a line that is only a date, near the top: the document's own date


def _dateline_candidates(hits: list[Hit], documents: dict[str, Document] | None) -> list[Scored]:
    """The dateline of the first passage's document that has one, as the one candidate (none: [])."""
    for hit in hits:
        doc = (documents or {}).get(hit.chunk.doc_id)
        span = dateline(doc.text) if doc else None
        if span is None:
            continue
        line_start = doc.text.rfind("\n", 0, span[0]) + 1
        line_end = doc.text.find("\n", span[1])
        line_end = len(doc.text) if line_end < 0 else line_end
        line = doc.text[line_start:line_end]
        cand = Candidate(span[0] - line_start, span[1] - line_start, doc.text[span[0]:span[1]], "date")
        return [Scored(0.0, DATELINE_CONFIDENCE, cand, _own_hit(hit, line, line_start), line_start, line,
                       {"type": 1.0, "dateline": 1.0})]
    return []


def question_info(resolved: Resolved) -> QuestionInfo:
    """Question analysis; a follow-up that only swaps a modifier keeps the earlier type unless it has a
    question word of its own, and so does a bare "X는?" that repeats the question before it
    (Resolved.repeats_ask).

    "자동차 분야 과제는?" -> "에너지 분야는?" asks the same thing about energy, so
    it expects what the first asked for (a project), not what "분야" alone suggests.
    """
    info = analyze(resolved.text, resolved.previous, type_from=resolved.original)
    if resolved.repeats_ask and resolved.previous:
        # "헬스케어는?" after "자동차 분야 과제는 몇 개야?": the earlier question's type, as sure as it was
        before = analyze(resolved.previous)
        return replace(info, answer_type=before.answer_type, counter=before.counter, has_cue=before.has_cue)
    if resolved.previous:
        own = analyze(resolved.original)
        before = analyze(resolved.previous)
        shared = {w for w in own.nouns & before.nouns if len(w) >= 2}   # not counters (곳, 명)
        # A follow-up with a question word of its own says what it asks: "과제는 몇 개야?" after "헬스케어
        # 과제 예시 하나만" asks a count, "그 슈퍼컴 이름은 뭔데?" after "국내 최고 슈퍼컴이랑 비교하면?" a name.
        if len(own.nouns) >= 2 and shared and len(own.nouns - shared) == 1 and before.has_cue and \
                not has_question_word(resolved.original):
            info = replace(info, answer_type=before.answer_type, counter=before.counter)
    return info


def _borrowed_setting(name: str, resolved: Resolved) -> bool:
    """Is `name` a place an earlier turn gave, where the follow-up sets what it asks ("거기에 건물은 몇 동
    지어?" -> "광주시에 건물은 몇 동 지어?")? A sentence about the buildings need not name the city again:
    such a place (in the follow-up or the topic it carries; a name ending as places do, 시, 구, 지구,
    단지 ..., followed by 에 or 에서) is no name the answer's sentence must mention (entity_gap). One the
    user typed still is, and so is a body ("삼성전자에 투자한 기업은?" is about 삼성전자).

    >>> _borrowed_setting("광주시", Resolved("광주시에 건물은 몇 동 지어?", "거기에 건물은 몇 동 지어?"))
    True
    >>> _borrowed_setting("광주시", Resolved("광주시에 건물은 몇 동 지어?", "광주시에 건물은 몇 동 지어?"))
    False
    >>> _borrowed_setting("광주", Resolved("광주시에 건물은 몇 동 지어?", "거기에 건물은 몇 동 지어?"))
    True
    >>> _borrowed_setting("삼성전자", Resolved("삼성전자에 투자한 기업은?", "거기에 투자한 기업은?"))
    False
    """
    if name.lower() in resolved.original.lower():
        return False
    # the word the name is (or starts: Kiwi may name 광주 of 광주시), then 에 or 에서
    setting = re.compile(r"(?<![가-힣A-Za-z])(" + re.escape(name) + r"[가-힣]*?)(?:에서는|에서도|에서|에는|에도|에)(?:\s|$)",
                         re.IGNORECASE)
    return any(m.group(1).endswith(PLACE_SUFFIX) and m.group(1).lower() not in resolved.original.lower()
               for t in (resolved.text, resolved.topic or "") for m in setting.finditer(t))


def _slot(resolved: Resolved):
    """Question-word slot; an elliptical follow-up ("헬스케어는?") keeps its topic's focus noun."""
    slot = question_slot(resolved.original if not resolved.is_followup else resolved.text)
    if resolved.is_followup and not analyze(resolved.original).has_cue:
        topic = question_slot(resolved.topic or resolved.previous)
        slot = replace(slot, focus=topic.focus, focus_tail=topic.focus_tail)
    return slot


def _top_sentences(contexts: list, n: int) -> list:
    """The n sentences with the highest question coverage, in their original order.

    Half of what the sentence before adds counts too: a sentence may go on
    about what the one before named ("작년 사업자로 선정된 NHN이 ...").
    """
    if len(contexts) <= n:
        return contexts
    keep = sorted(range(len(contexts)), key=lambda i: (-contexts[i][2].sent_cov - 0.5 * contexts[i][2].prev_gain, i))[:n]
    return [contexts[i] for i in sorted(keep)]


def _sentence_contexts(terms: dict[str, float], hits: list[Hit], entities: list[str],
                       documents: dict[str, Document] | None = None):
    """(hit, sentence offset in the document, SentenceContext) for each distinct sentence."""
    seen: set[tuple[str, int]] = set()
    for hit in hits:
        doc = (documents or {}).get(hit.chunk.doc_id)
        aliases = document_aliases(doc.text if doc else hit.chunk.text)
        # A name in the title is what the whole article is about: no sentence need repeat it.
        title = hit.chunk.title.replace(" ", "").lower()
        own = [e for e in entities if not mentions(e, title, aliases)]
        chunk_cov = coverage(terms, tokens_of(hit.chunk.text))
        for k, span in enumerate(hit.chunk.sentences):
            key = (hit.chunk.doc_id, hit.chunk.start + span.start)
            if key in seen:
                continue
            seen.add(key)
            text = hit.chunk.text[span.start:span.end]
            # The sentence before may name what this one calls "그" or "이 단지";
            # not when this one opens on a name of its own ("SoS Lab은 ...").
            first = k if _opens_with_name(text) else max(0, k - 1)
            window = hit.chunk.text[hit.chunk.sentences[first].start:span.end]
            ctx = _read_sentence(text, terms, chunk_cov, hit.rank, entity_gap(own, window, aliases))
            if first < k:   # what the sentence before adds: "... 민간사업자가 ... 사업자로 선정된 NHN이"
                both = tokens_of(window) | {m.form.lower() for m in ctx.morphs}   # as sent_cov counts them
                ctx = replace(ctx, prev_gain=max(0.0, coverage(terms, both) - ctx.sent_cov))
            yield hit, key[1], ctx


def _read_sentence(text: str, terms: dict[str, float], chunk_cov: float | None, rank: int,
                   entity_gap: float) -> SentenceContext:
    """The sentence as the ranker sees it; chunk_cov None: the sentence is its own passage."""
    morphs = tuple(morphemes(text))
    sent_cov = coverage(terms, {m.form.lower() for m in morphs} | tokens_of(text))
    return SentenceContext(text, morphs, _term_positions(terms, morphs), sent_cov,
                           sent_cov if chunk_cov is None else chunk_cov, 0.0, rank, entity_gap)


def _opens_with_name(text: str) -> bool:
    """Does the sentence open on a name as its topic or subject ("SoS Lab은", "티맥스소프트는")?"""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if first.endswith(("은", "는", "이", "가")) and reads_as_name(first[:-1]):
        return True   # Kiwi may misread the name inside the sentence (티맥스소프 + 트 + 는)
    morphs = morphemes(text)
    if not morphs or morphs[0].tag not in ("NNP", "SL"):
        return False
    for m in morphs[1:6]:
        if m.tag in ("JX", "JKS"):
            return True
        if m.tag not in ("NNP", "NNG", "SL", "SN", "XSN"):
            return False
    return False


def _with_alias_sentences(contexts: list, aliases: dict[str, tuple[str, int]], terms: dict[str, float],
                          hits: list[Hit], documents: dict[str, Document]) -> list:
    """`contexts` plus the sentences that define the aliases, when not read already.

    Each comes with a Hit of its own: the document's first retrieved passage with the defining
    sentence as its chunk, so a candidate's sentence always lies in its hit's chunk (the hybrid's
    span model reads that sentence; a sentence outside the chunk it would never read).
    """
    out = list(contexts)
    have = {(h.chunk.doc_id, start, start + len(c.text)) for h, start, c in contexts}
    for doc_id, at in aliases.values():
        span = defining_sentence(documents[doc_id].text, at)
        if span is None or any(d == doc_id and s <= at < e for d, s, e in have):
            continue
        hit = next(h for h in hits if h.chunk.doc_id == doc_id)
        sent = documents[doc_id].text[span[0]:span[1]]
        ctx = _read_sentence(sent, terms, chunk_cov=None, rank=hit.rank, entity_gap=0.0)
        out.append((_own_hit(hit, sent, span[0]), span[0], ctx))
        have.add((doc_id, *span))
    return out


def _own_hit(hit: Hit, text: str, start: int) -> Hit:
    """`hit` with `text` (at document offset `start`, one sentence) as its chunk: a candidate read outside
    the retrieved passages (an alias's defining sentence, a dateline) still lies in its hit's chunk."""
    return replace(hit, chunk=Chunk(-1, hit.chunk.doc_id, hit.chunk.title, text, start, start + len(text),
                                    (Span(0, len(text)),)))


# Nouns that denote people ("GIST 학생들" answers "누가 창업했어?").
_PEOPLE_NOUNS = ("학생", "교수", "연구원", "연구자", "직원", "시민", "주민", "청년", "전문가", "교원", "관계자", "위원",
                 "의원", "선수", "작가", "학자", "졸업생", "재직자", "인재", "근로자", "기업인", "창업자", "사람")


def _is_people(cand: Candidate) -> bool:
    """A person's name, or a phrase naming people."""
    return cand.kind in ("person", "list", "pair", "coord") or (cand.kind == "name" and " " not in cand.text) or \
        cand.text.removesuffix("들").endswith(_PEOPLE_NOUNS + TITLES)


def _names_asker(cand: Candidate, q_flat: str) -> bool:
    """A person the question already names by surname and title ("문재인" for "문 대통령이 ... 것은?")."""
    return cand.kind == "person" and bool(re.fullmatch(r"[가-힣]{3}", cand.text)) and mentions(cand.text, q_flat)


def _term_positions(terms: dict[str, float], morphs) -> dict[str, list[int]]:
    """Question term -> char positions of the sentence morphemes matching it."""
    out: dict[str, list[int]] = {}
    for m in morphs:
        form = m.form.lower()
        for t in terms:
            # the same test as matches(t, {form}), inlined: this runs for every morpheme
            if t == form or (len(t) >= 2 and len(form) >= 2 and (t.startswith(form) or form.startswith(t))):
                out.setdefault(t, []).append((m.start + m.end) // 2)
    return out


def region_of(flat: str, terms) -> bool:
    """Is the candidate a question word with an administrative suffix ("광주시" for "광주 어디쯤이야?")?
    Asked where, it says back where the question already is (asked who, 광주시 may be the answer: the
    caller asks this of place questions only). `terms`: the question's words (any container).

    Only city and county suffixes: 도 and 구 end common words too ("경기도" for a question about a 경기).

    >>> region_of("광주시", {"광주": 1.0}), region_of("광주광역시", {"광주": 1.0}), region_of("경기도", {"경기": 1.0})
    (True, True, False)
    >>> region_of("첨단3지구", {"광주": 1.0}), region_of("시", {"": 1.0})
    (False, False)
    """
    m = _REGION.fullmatch(flat)
    return bool(m) and m.group(1) in terms


_REGION = re.compile(r"([가-힣]{2,}?)(?:광역시|특별시|특별자치시|시|군)")


def _overlap(cand: Candidate, terms: dict[str, float]) -> float:
    """Share of the candidate's words that the question already contains."""
    words = [m.form.lower() for m in morphemes(cand.text) if m.tag[0] in "NSX" and m.tag not in ("SF", "SP", "SSO",
                                                                                             "SSC")]
    if not words:
        return 0.0
    return sum(1 for w in words if w in terms) / len(words)

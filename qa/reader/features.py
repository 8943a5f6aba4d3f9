"""Features of a candidate span for the learned linear ranker (pure functions).

    features(question_info, terms, sentence_context, candidate)
      -> {"sent_cov": 0.8, "prox": 0.6, "type": 1.0, "k=money|w=money": 1.0, ...}

Every feature is a number in a small range; the weights live in
`ranker.json` (trained by eval/train_reader.py on KorQuAD dev-a).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ..asked_kind import kind_asked_of
from ..korean import Morpheme, content_tokens
from .candidates import Candidate
from .focus import anchor, beside_focus, designated, focus_near, focus_suffix
from .kind import predicated_kind
from .question import QuestionInfo
from .scoring import boundary_score, type_score
from .slot import QuestionSlot

@dataclass(frozen=True)
class SentenceContext:
    """One sentence as the ranker sees it."""

    text: str
    morphs: tuple[Morpheme, ...]
    positions: dict          # question term -> char positions in the sentence
    sent_cov: float          # weighted share of question terms in the sentence
    chunk_cov: float         # the same over the whole passage
    cov_gap: float           # best sentence coverage minus this one's
    rank: int                # retrieval rank of the passage
    entity_gap: float = 0.0  # share of the question's names missing from this sentence and the one before
    prev_gain: float = 0.0   # coverage the sentence before adds to this one's


def features(info: QuestionInfo, terms: dict[str, float], ctx: SentenceContext, cand: Candidate,
             slot: QuestionSlot, novelty: float) -> dict[str, float]:
    """Feature dict of one candidate."""
    left, right = _side_distances(cand, ctx.positions)
    nxt = _next_morph(ctx.morphs, cand.end)
    prv = _prev_morph(ctx.morphs, cand.start)
    # A list's length says nothing about phrase length: count it as one word.
    words = 1 if cand.kind in ("list", "phrases", "date") else cand.text.count(" ") + 1
    f = {
        "sent_cov": ctx.sent_cov, "chunk_cov": ctx.chunk_cov, "cov_gap": ctx.cov_gap,
        "best_sent": 1.0 if ctx.cov_gap <= 1e-9 else 0.0,
        "rank_prior": 1.0 / ctx.rank, "entity_gap": ctx.entity_gap, "prev_gain": ctx.prev_gain,
        "type": type_score(info, cand), "type_clash": answer_clash(info, ctx.text, cand), "novelty": novelty,
        "example_of": _example_of_question_noun(ctx, cand, terms), "novel_zero": 1.0 if novelty == 0 else 0.0,
        "prox": _proximity(cand, ctx.positions, terms),
        "left_near": math.exp(-left / 10.0), "right_near": math.exp(-right / 10.0),
        "boundary": boundary_score(ctx.text, cand, ctx.morphs),
        "log_chars": math.log1p(len(cand.text)), "words": min(words, 6) / 6.0,
        "has_digit": 1.0 if any(ch.isdigit() for ch in cand.text) else 0.0,
        "particle_match": 1.0 if slot.particle and nxt is not None and
        _particle(nxt.form) == _particle(slot.particle) else 0.0,
        "head_match": 1.0 if slot.head and cand.text.endswith(slot.head) and cand.text != slot.head else 0.0,
        "head_only": 1.0 if slot.head and cand.text == slot.head else 0.0,
        "focus_suffix": focus_suffix(cand, slot),
        "focus_before": focus_near(ctx.text, cand, slot, before=True),
        "focus_after": focus_near(ctx.text, cand, slot, before=False),
        "clause_cov": _clause_coverage(ctx, cand, terms),
        "date_tense": _date_tense_clash(info, ctx.text, cand),
        "in_group": _terms_only_in_groups(ctx.text, tuple(terms)),
        "slot_left": anchor(ctx.text, cand, slot.left, before=True),
        "slot_right": anchor(ctx.text, cand, slot.right, before=False),
        "in_quote": 1.0 if cand.kind == "quote" else 0.0,
        "quoted_speaker": _quoted_for_speaker(info, ctx.text, cand),
        "list_part": _list_part(ctx.text, cand),
        "called": _called(info.text, ctx.text, cand),
        "time_edge": _time_edge(cand),
        "designated": designated(ctx.text, cand, slot),
        "beside_focus": beside_focus(ctx.text, cand, slot),
        "says_kind": _says_kind(info, ctx, cand),
        f"k={cand.kind}|w={info.answer_type}": 1.0,
        f"next={_tag_class(nxt)}": 1.0, f"prev={_tag_class(prv)}": 1.0,
    }
    return f


def _says_kind(info: QuestionInfo, ctx: SentenceContext, cand: Candidate) -> float:
    """For "X은 어떤 회사야?": does the span say what X is (kind.predicated_kind)? Whole noun phrases
    only ("자율주행 라이다 센서 스타트업", not its tail "센서 스타트업"): a name or a number is no kind.
    Weighted by hand in ranker.json (no dev-a question asks this way)."""
    kind = kind_asked_of(info.text) if info.answer_type == "description" and cand.kind == "phrase" else None
    if kind is None:
        return 0.0
    prv = _prev_morph(ctx.morphs, cand.start)
    if prv is not None and prv.tag.startswith(("NN", "SL", "SN", "XSN")) and prv.end >= cand.start - 1:
        return 0.0
    return predicated_kind(ctx.text, cand.start, cand.end, kind[0])


# Particle forms that differ only by the sound before them ("어디로" ~ "민간으로").
_ALLOMORPHS = {"으로": "로", "과": "와", "이": "가", "을": "를", "은": "는", "이랑": "랑", "으로서": "로서",
               "으로써": "로써", "으로부터": "로부터"}


def _particle(form: str) -> str:
    """One spelling per particle: _particle("으로") -> "로"."""
    return _ALLOMORPHS.get(form, form)


_PAST = re.compile(r"(했|었|았|였|됐|왔|갔|냈|졌)(나|어|니|습니까|는지|지|을까|던)|했다|됐다")
# an end asked about: "언제 끝났어?" is answered by the last day of a run ("1975년까지 이어진")
_ENDED = re.compile(r"끝|종료|종식|마치|마쳤|마감|완료|만료|폐지|해체|멸망")


def _date_tense_clash(info: QuestionInfo, text: str, cand: Candidate) -> float:
    """1 for a deadline or future date ("오는 2023년까지") offered to a question about a past event.

    "현판식은 언제 했어?" asks when something happened; "2023년까지 확보" is a
    target, not that day.
    """
    if info.answer_type != "date" or cand.kind not in ("date", "time") or _ENDED.search(info.text):
        return 0.0
    until = text[cand.end:cand.end + 2] == "까지" and "까지" not in info.text
    coming = text[max(0, cand.start - 3):cand.start].strip() in ("오는", "향후", "내년")
    return 1.0 if (until or coming) and _PAST.search(info.text) else 0.0


_SPEECH = re.compile(r"(말|밝|언급|강조|설명|덧붙|선언|당부|평|기대|약속|주장)(한|했|하였|힌|혔|인|였)|(라|이라|다)고 한")
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|\'[^\']*\'|‘[^’]*’')


def _quoted_for_speaker(info: QuestionInfo, text: str, cand: Candidate) -> float:
    """1 for a span inside quotation marks when the question asks who said something.

    "'...'고 말한 사람은?" is answered by the speaker, outside the quote, not
    by a name the speaker quoted ("광주첨단3지구").
    """
    if info.answer_type not in ("person", "organization") or not _SPEECH.search(info.text):
        return 0.0
    return 1.0 if any(m.start() < cand.start and cand.end < m.end() for m in _QUOTED.finditer(text)) else 0.0


_CALLED_Q = re.compile(r"(무엇|뭐|어디|누구)(이)?(라고|라는|라며|라|란)")
_CALLED_S = re.compile(r"[\"'”’」』)]*\s?(이)?(라고|라며|라는|라면서|라\s|란\s|라 ?(부르|불리|칭|한다|했))")


def _called(question: str, text: str, cand: Candidate) -> float:
    """1 when the question asks what something is called and the span is followed by a quotative.

    "AI데이터센터를 대한민국 AI의 무엇이라고 표현했어?" vs "... AI의
    핵심거점이라며": the word the question asks for is the one said or named.
    """
    if not _CALLED_Q.search(question):
        return 0.0
    return 1.0 if _CALLED_S.match(text, cand.end) else 0.0


_TIME_WORD = re.compile(r"\d+(년|월|일|시|분)(경|께|쯤)?|당시|이후|이전|이날|당일|시절|무렵|현재|최근|지난|올해|작년|"
                        r"내년|그해|후|전|직후|직전|초|말|중순|초반|후반")


def _time_edge(cand: Candidate) -> float:
    """1 for a name or phrase that opens or closes on a time word ("2002년 당시 새천년민주당", "포항중학교 시절").

    The time word dates the thing; it is not part of its name.
    """
    if cand.kind not in ("name", "phrase", "person") or " " not in cand.text:
        return 0.0
    words = cand.text.split()
    return 1.0 if _TIME_WORD.fullmatch(words[0]) or _TIME_WORD.fullmatch(words[-1]) else 0.0


def _list_part(text: str, cand: Candidate) -> float:
    """1 for one member of a "·" list cut out of it ("인재" of "인프라·데이터·인재").

    The question may ask for one member, or for the list: the ranker learns
    how much a cut-out member is to be trusted.
    """
    before, after = text[cand.start - 1:cand.start], text[cand.end:cand.end + 1]
    return 1.0 if "·" in (before, after) else 0.0


_GROUP = re.compile(r"[\w+]+(?:·[\w+]+){2,}")   # three or more: a pair is often one thing (투자협약·착수식)


@lru_cache(maxsize=4096)
def _terms_only_in_groups(text: str, terms: tuple[str, ...]) -> float:
    """1 when the sentence names a question word only as one of a group the question does not ask about.

    "헬스케어 분야 과제는 몇 개?" against "자동차·에너지·헬스케어 ... 과제 14개":
    헬스케어 is one of three there, so 14 counts the group, not 헬스케어.
    """
    if "·" not in text:
        return 0.0
    groups = list(_GROUP.finditer(text))
    for t in terms:
        hits = [m.start() for m in re.finditer(re.escape(t), text.lower())] if len(t) >= 2 else []
        if not hits:
            continue
        inside = [g for h in hits for g in groups if g.start() <= h < g.end()]
        if len(inside) == len(hits):
            others = [x for g in inside for x in g.group().lower().split("·") if t not in x]
            if others and not any(o in terms for o in others):
                return 1.0
    return 0.0


def _clause_coverage(ctx: SentenceContext, cand: Candidate, terms: dict[str, float]) -> float:
    """Weighted share of the question's terms inside the span's comma-delimited clause, the span excluded.

    In "자동차의 경우 ... 4개 과제, 헬스케어의 경우 ... 6개 과제" only 6개
    shares its clause with 헬스케어.
    """
    total = sum(terms.values())
    if not total or not ctx.positions:
        return 0.0
    lo = ctx.text.rfind(", ", 0, cand.start) + 1
    hi = ctx.text.find(", ", cand.end)
    hi = len(ctx.text) if hi < 0 else hi
    got = sum(terms[t] for t, pos in ctx.positions.items()
              if any(lo <= p < hi and not cand.start <= p < cand.end for p in pos))
    return got / total


_TYPED = {"money", "count", "date", "period", "quantity", "person", "organization", "place", "list", "reason"}
_NAMED = {"person", "organization", "place", "list"}   # types a coordination of names can answer


def type_clash(info: QuestionInfo, cand: Candidate) -> float:
    """1 when the question clearly asks for one type and the span is another (기간은? -> not 2100억원).

    Not learned from KorQuAD (its single-paragraph training rarely shows the
    clash); weighted by hand in ranker.json.
    """
    if cand.kind == "coord" and info.answer_type in _NAMED:
        return 0.0   # "A와 B" names two of what is asked ("정몽준과 노무현"): its fit is low, not a clash
    return 1.0 if info.has_cue and info.answer_type in _TYPED and type_score(info, cand) < 0.2 else 0.0


def answer_clash(info: QuestionInfo, sentence: str, cand: Candidate) -> float:
    """1 when the span cannot answer the kind of question asked: another type (type_clash), the
    other end of a time range (bound_clash) or a deadline or coming date for a past event
    (_date_tense_clash). For rule candidates and the hybrid's model spans alike. (A rule candidate's
    tense clash thus weighs twice in the ranker, as date_tense and as type_clash, cuts its confidence
    and is no asked form; eval/ablate_rules.py's date_tense row removes the ranker feature only.)"""
    return max(type_clash(info, cand), bound_clash(info.text, sentence, cand), _date_tense_clash(info, sentence, cand))


_BOUND_ASKED = re.compile(r"(?:언제|몇\s?(?:년|월|일|시)|며칠|어느\s?해)\s*(부터|까지)")
_OTHER_BOUND = {"부터": "까지", "까지": "부터"}


def bound_clash(question: str, sentence: str, cand: Candidate) -> float:
    """1 when the question asks where a time range starts and the sentence has the span end one, or
    the reverse: "언제부터 뽑았어?" is not answered by "2023년까지" (the gold of no dev-a question
    asked 언제부터/까지 is followed by the other particle).

    >>> from .candidates import Candidate
    >>> s = "오는 2023년까지 작년부터 매년 50명을 뽑는다"
    >>> bound_clash("언제부터 뽑았어?", s, Candidate(3, 8, "2023년", "date"))
    1.0
    >>> bound_clash("언제부터 뽑았어?", s, Candidate(11, 13, "작년", "time"))
    0.0
    """
    m = _BOUND_ASKED.search(question)
    if not m:
        return 0.0
    return 1.0 if sentence[cand.end:cand.end + 2] == _OTHER_BOUND[m.group(1)] else 0.0


_EXAMPLE = re.compile(r"\s*등(?:의)?\s*(?:[\d.]+\s*(?:개|곳|명|건|가지)\s*)?([^\s,.·]+)")


_FRAME_WORDS = ("경우", "때", "중", "외", "가운데", "측")


def _example_of_question_noun(ctx: SentenceContext, cand: Candidate, terms: dict[str, float]) -> float:
    """How strongly the span is given as an example of what the question asks about.

    "구글 등 7개 글로벌 기업" answers "협력 글로벌 기업은?"; "특수목적차량 자율주행
    등 4개 과제" answers "자동차 분야 과제는?". The whole example counts, so the
    value grows by half per word (offsetting the short-answer prior learnt from
    KorQuAD); a span opening on a frame word ("경우 AI기반 ...") gets nothing.
    Among parallel examples ("자동차의 경우 A 등 4개 과제, 에너지의 경우 B 등
    ...") only one whose clause holds a question word no other clause has counts;
    the example's own noun may be that word ("구글 등 7개 글로벌 기업과 막스플랑크 등
    4개 연구소, ..." for a question about 연구소).
    Weighted by hand in ranker.json.
    """
    text = ctx.text
    m = _EXAMPLE.match(text, cand.end)
    if not m or not set(content_tokens(m.group(1))) & terms.keys():
        return 0.0
    words = cand.text.split()
    own = content_tokens(cand.text)
    if words[0] in _FRAME_WORDS or sum(t in terms for t in own) * 2 >= max(1, len(own)):
        return 0.0
    # a list of phrases spans clauses: the one it ends in is the one its 등 and noun stand in
    at = cand.end - 1 if cand.kind == "phrases" else cand.start
    if ", " in text and not _clause_has_own_term(ctx, at, cand.start, cand.end):
        return 0.0
    if cand.kind == "phrases":
        return 1.0   # a list of phrases is one example, however many words it spans
    value = 1.0 + 0.5 * (len(words) - 1)
    prv = _prev_morph(ctx.morphs, cand.start)
    if prv is not None and prv.tag.startswith("NN") and prv.form not in _FRAME_WORDS and \
            text[prv.end:cand.start] == " ":
        value *= 0.5   # the tail of an example ("재난대응 AI플랫폼" of "에너지 재난대응 AI플랫폼")
    if text[max(0, cand.start - 2):cand.start] == ", " and _bare_item_before(text, cand.start - 2):
        value *= 0.5   # the last item of a listed example ("A, B, 확산 등 교육과정"): the list is the example
    return value


def _bare_item_before(text: str, comma: int) -> bool:
    """Is the comma-separated part ending at `comma` a bare item ("현장응용" of "…, 현장응용, 확산 등"),
    not an example of its own ("막스플랑크 등 4개 연구소, 카네기멜런대학교 등 …")?"""
    before = text.rfind(", ", 0, comma)
    return "등" not in text[before + 2 if before >= 0 else 0:comma].split()


def _clause_has_own_term(ctx: SentenceContext, at: int, start: int, end: int) -> bool:
    """Does the clause holding `at` have a question word, outside [start, end), that no other clause
    of the sentence has?"""
    cuts = [0] + [i + 2 for i in range(len(ctx.text)) if ctx.text.startswith(", ", i)] + [len(ctx.text) + 1]
    clause = next(k for k in range(len(cuts) - 1) if cuts[k] <= at < cuts[k + 1])
    for term, pos in ctx.positions.items():
        # where the word itself is written, if it is ("연구소", not the 연구 of "공동연구" its prefix matched)
        literal = [m.start() for m in re.finditer(re.escape(term), ctx.text, re.IGNORECASE)]
        where = literal or pos
        clauses = {next(k for k in range(len(cuts) - 1) if cuts[k] <= p < cuts[k + 1]) for p in where}
        if clauses == {clause} and any(not start <= p < end for p in where):
            return True
    return False


def _side_distances(cand: Candidate, positions: dict) -> tuple[float, float]:
    """Distance to the nearest matched question word on the left and on the right (chars)."""
    left = right = 200.0
    for pos_list in positions.values():
        for p in pos_list:
            if p < cand.start:
                left = min(left, cand.start - p)
            elif p >= cand.end:
                right = min(right, p - cand.end)
    return left, right


def _proximity(cand: Candidate, positions: dict, terms: dict[str, float]) -> float:
    """Closeness to each matched term's nearest occurrence; terms after the candidate count double."""
    if not positions:
        return 0.0
    total = sum(terms[t] for t in positions)
    acc = 0.0
    for t, pos_list in positions.items():
        d = min(0 if cand.start <= p < cand.end else (cand.start - p if p < cand.start else 2 * (p - cand.end))
                for p in pos_list)
        acc += terms[t] * math.exp(-d / 12.0)
    return acc / total


def _next_morph(morphs, end: int) -> Morpheme | None:
    return next((m for m in morphs if m.start >= end), None)


def _prev_morph(morphs, start: int) -> Morpheme | None:
    prev = None
    for m in morphs:
        if m.end <= start:
            prev = m
    return prev


def _tag_class(m: Morpheme | None) -> str:
    if m is None:
        return "END"
    tag = m.tag
    if tag in ("JKS", "JKO", "JKB", "JKG", "JX", "JC", "VCP", "JKQ"):
        return tag
    if tag.startswith("J"):
        return "J"
    if tag.startswith("E"):
        return "E"
    if tag in ("SP", "SF", "SSO", "SSC", "SS"):
        return tag
    if tag.startswith("NN"):
        return "NN" if m.form != "등" else "DEUNG"
    if tag == "XSN":
        return "XSN"   # 간, 여, 들: glued suffixes, not verbs
    if tag.startswith("V") or tag.startswith("XS"):
        return "V"
    return "O"

"""What the documents say about the question's words: coverage, absent words, confidence.

    coverage({"투자": 1.0, "nhn": 2.0}, {"nhn", "투자", "운영"})  -> 1.0
    missing_terms(analyze("NHN 대표이사는 누구야?"), hits, docs)  -> ["대표이사"]
    confidence(sent_cov=0.9, chunk_cov=1.0, t=1.0, prox=0.5, missing=0)  -> 0.85

The reader scores spans with these and abstains when the evidence is thin:
a question word that no passage's document mentions halves the confidence.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..korean import content_tokens, morphemes
from ..types import Document, Hit
from .abbreviation import expansions
from .candidates import FUNCTION_NOUNS
from .glossary import english_groups
from .question import CUE_WORDS, QuestionInfo
from .scoring import ANAPHORIC_TIME
from .span import Candidate
from .thesaurus import synonyms


@lru_cache(maxsize=8192)
def tokens_of(text: str) -> frozenset[str]:
    """Search terms of a text; cached because passages recur across questions."""
    return frozenset(content_tokens(text))


def matches(term: str, tokens: set[str]) -> float:
    """1 for an exact token, 0.6 when one is a prefix of the other (투자액 ~ 투자)."""
    if term in tokens:
        return 1.0
    if len(term) >= 2 and any(len(t) >= 2 and (term.startswith(t) or t.startswith(term)) for t in tokens):
        return 0.6
    return 0.0


def coverage(terms: dict[str, float], tokens: set[str]) -> float:
    total = sum(terms.values())
    if total == 0:
        return 0.0
    return sum(w * matches(t, tokens) for t, w in terms.items()) / total


# Words every question may use without the document saying them.
GENERIC = frozenset({"사람", "것", "곳", "수", "때", "이름", "내용", "무엇", "누구", "어디", "언제", "얼마", "정도",
                      "어떤", "무슨", "몇", "얼마나", "기간", "규모", "분야", "종류", "방식", "이유", "목적",
                      "개", "명", "년", "해", "무엇인가", "뭐", "건", "지금", "현재", "가장", "대해", "관련",
                      "총", "모두", "전체", "각각", "대상", "숫자", "금액", "액수", "날짜", "시기", "장소",
                      "며칠", "것들", "곳들", "누구누구", "예시", "형태", "비교", "구성", "행사", "학교", "회사",
                      "기업들", "제품", "인원", "연간", "동안", "우리말", "한글", "어디야", "사람들", "단체",
                      "기관", "프로그램", "계획", "의미", "특징", "역할", "결과", "상황", "소속", "형식", "표현",
                      "목표", "부처", "가지", "그것", "이것", "저것", "거기", "여기", "명칭", "약자", "약칭",
                      "풀네임", "본명", "정식", "영문", "국문", "공식", "시설", "수치", "실제"})
# Words about the text itself and how it reports things ("기사에서 소개된 과제는?", "본문에 언급된 곳은?"):
# a question about a document may use them whether or not the document says them.
ABOUT_THE_TEXT = frozenset({"기사", "본문", "지문", "원문", "문서", "소개", "언급", "묘사", "서술", "거론", "보도",
                            "등장", "발언"})


def missing_terms(info: QuestionInfo, hits: list[Hit], documents: dict[str, Document] | None = None,
                  question: str | None = None) -> list[str]:
    """Question nouns that the documents of the passages never mention (대표이사, 등록금, 날씨).

    A compound counts as present when each of its parts occurs (AI데이터센터 ->
    ai, 데이터, 센터) or it occurs verbatim; a part also matches a token that
    starts with it or that it starts with (투자액 ~ 투자, 통신 ~ 통신부). An
    English word counts as present when any of its Korean glosses occurs.
    """
    texts = source_texts(hits, documents)
    tokens = source_tokens(hits, documents)
    flat = "".join(texts).replace(" ", "").lower()
    groups = english_groups(info.text) if info.english else {w: {w, *synonyms(w)} for w in info.nouns}
    stems = eojeol_stems(question or info.text)
    short = expansions(question or info.text, texts)   # "과기정통부" -> "과학기술정보통신부"
    out = []
    for word, alternatives in sorted(groups.items()):
        if word in short:
            continue
        # Type words (비용, 기간, 금액 ...) name the kind of answer, not the topic:
        # "건립 비용은?" is answered by "건립에 350억원을 들였다".
        if word in GENERIC or word in ABOUT_THE_TEXT or word in CUE_WORDS or len(word) < 2 or word.isdigit():
            continue
        if word in FUNCTION_NOUNS or word in ANAPHORIC_TIME:
            continue   # "가운데", "당시", "그날": where or when among what the text says, not a topic
        if re.search(r"(?:\d|몇)\s?" + re.escape(word), info.text.lower()):
            continue   # a unit written after a number ("2개동", "4년간", "몇 명씩"), not a topic
        # Kiwi splits unknown names oddly (최기영 -> 최기 + 영); the word as
        # typed, particle stripped, may still be in the text verbatim.
        if not any(_present(alt, tokens, flat) for alt in alternatives) and \
                not any(word in stem and len(stem) >= 3 and stem in flat for stem in stems) and \
                not _present_before_type_word(word, tokens, flat):
            out.append(word)
    return out


def missing_names(info: QuestionInfo, absent: list[str]) -> list[str]:
    """The absent words (missing_terms()) that are or hold a name the question asks about
    (info.entities: proper nouns, Latin words): the question is about someone the documents never name.

    >>> from .question import analyze
    >>> missing_names(analyze("카카오의 투자액은?"), ["카카오"])
    ['카카오']
    >>> missing_names(analyze("기사에서 소개된 과제는?"), ["기사", "소개"])
    []
    """
    return [w for w in absent if any(e in w.lower() for e in info.entities)]


_PARTICLE_END = re.compile(r"(은|는|이|가|을|를|의|와|과|에|에서|에게|로|으로|도|만|까지|부터|이야|야|이다)?[?!.,]*$")


def eojeol_stems(text: str) -> list[str]:
    """Space-separated words with a trailing particle and punctuation cut ("최기영은?" -> "최기영")."""
    out = []
    for w in text.lower().split():
        stem = _PARTICLE_END.sub("", w, count=1)
        if stem:
            out.append(stem)
    return out


def hit_documents(hits: list[Hit], documents: dict[str, Document] | None) -> dict[str, str]:
    """Doc id -> text of the known documents behind the hits, in hit order."""
    docs = documents or {}
    return {d: docs[d].text for d in dict.fromkeys(h.chunk.doc_id for h in hits) if d in docs}


def source_texts(hits: list[Hit], documents: dict[str, Document] | None) -> list[str]:
    """Whole documents behind the hits when known (the question is about the document)."""
    texts, seen = [], set()
    for h in hits:
        doc = (documents or {}).get(h.chunk.doc_id)
        key = h.chunk.doc_id if doc else (h.chunk.doc_id, h.chunk.start)
        if key not in seen:
            seen.add(key)
            texts.append(doc.text if doc else h.chunk.text)
    return texts


def source_tokens(hits: list[Hit], documents: dict[str, Document] | None) -> frozenset[str]:
    """Search terms of the documents behind the hits (cached: the same documents come back)."""
    return _tokens_of_all(tuple(source_texts(hits, documents)))


@lru_cache(maxsize=64)
def _tokens_of_all(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(tokens_of(t) for t in texts))


def _present_before_type_word(word: str, tokens: set[str], flat: str) -> bool:
    """Is `word` a compound of a word the documents use and a type word after it ("사업기간" = 사업 + 기간,
    "건립비용")? The type word names the kind of answer, as it does standing alone (GENERIC, CUE_WORDS).

    >>> _present_before_type_word("사업기간", {"사업"}, "사업은"), _present_before_type_word("등록금", set(), "")
    (True, False)
    """
    return any(word.endswith(t) and len(word) - len(t) >= 2 and _present(word[:-len(t)], tokens, flat)
               for t in _TYPE_WORDS)


_TYPE_WORDS = tuple(sorted(w for w in GENERIC | CUE_WORDS if len(w) >= 2 and w not in {"어디야", "무엇인가", "누구누구"}))


def _present(word: str, tokens: set[str], flat: str) -> bool:
    if (len(word) >= 3 and word in flat) or (len(word) >= 4 and word[:-1] in flat):   # verbatim, or + particle
        return True
    parts = [p for p in tokens_of(word) if len(p) >= 2 or p.isascii()] or [word]
    return all(p in tokens or any(len(x) >= 2 and (p.startswith(x) and len(p) <= len(x) + 1 or x.startswith(p))
                                  for x in tokens) for p in parts)


def confidence(sent_cov: float, chunk_cov: float, t: float, prox: float, missing: int,
                entity_gap: float = 0.0) -> float:
    """Support for the answer in [0, 1]: the sentence must cover the question and the span fit its type.

    Each question noun absent from every passage cuts the confidence: the
    question is probably about something the document does not say. So does
    a name of the question that the answer's sentence (and the one before)
    never mentions: "구글은 GIST에 얼마를 투자하나요?" must not take SoS Lab's 168억원.
    """
    raw = 0.5 * sent_cov + 0.15 * chunk_cov + 0.25 * t + 0.1 * prox
    raw *= 0.5 ** missing * (1.0 - entity_gap)
    return max(0.0, min(1.0, raw))


_PAST_DATE = ("작년", "지난해", "지난달", "지난주", "지난")


def past_date_for_future(info: QuestionInfo, text: str, cand: Candidate) -> bool:
    """A date the sentence marks as past ("지난 2019년", "작년") offered to a question in the present or future.

    "언제 문을 열어?" asks about an opening still to come (or a habit);
    "지난 2019년 선정된" dates another, past event. The reader trusts such
    an answer less; it does not rank by it.
    """
    if info.answer_type != "date" or cand.kind not in ("date", "time") or info.english:
        return False
    marked = cand.text.startswith(_PAST_DATE) or text[max(0, cand.start - 3):cand.start].strip() in _PAST_DATE
    return marked and _asks_non_past(info.text)


@lru_cache(maxsize=1024)
def _asks_non_past(question: str) -> bool:
    """Does the question have a verb, none of it in the past tense?

    "언제 문을 열어?" -> True; "언제 열었어?", "세운 시기는?" (past ᆫ) and a
    verbless "언제?" -> False.
    """
    ms = morphemes(question)
    verbs = [i for i, m in enumerate(ms) if m.tag in ("VV", "XSV")]
    if not verbs:
        return False
    past_ending = any(m.tag == "EP" and m.form in ("었", "았", "였", "었었") for m in ms)
    past_adnominal = any(i + 1 < len(ms) and ms[i + 1].tag == "ETM" and ms[i + 1].form in ("ᆫ", "은", "던")
                         for i in verbs)
    return not (past_ending or past_adnominal)

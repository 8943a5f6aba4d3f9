"""When the rule reader answers alone, the span model not asked: tests on the question and the rules' best.

    states_asked_form(info, best)       -> "4개" for "과제 수는?": the very kind of number (or purpose, list) asked
    asked_example(question, scored)     -> "막스플랑크" for "협력 연구소로 예시된 곳은?"
    crosses_languages(question, passage) -> an English question over a Korean passage
    contested(scored, best)             -> another answer just as sure: the model is asked after all
    rules_alone(info, scored, best, trust, typed_trust) -> the cascade's test of the two thresholds

The hybrid (hybrid.py) asks these before it runs the model; what each cost or won on KorQuAD dev-a and
our sets is in its docstring.
"""
from __future__ import annotations

import re

from ..korean import is_latin_text
from .question import QuestionInfo
from .rule_reader import Scored
from .scoring import NUMERIC


# the word after 어떤/무슨 ("어떤 법을" -> 법을); not a counter after 몇 ("몇 년에": "5년" is no year)
_WHICH_WORD = re.compile(r"(?:어떤|무슨|어떠한)\s?([가-힣A-Za-z]+)")
# what may follow the noun in that word, longest first: particles and the copula's endings ("회사야", "법이에요")
_NOUN_ENDINGS = sorted(("이에요", "이었어", "이었나", "인가요", "에서는", "에서", "이야", "예요", "인가", "으로", "이지", "이랑",
                        "야", "을", "를", "이", "가", "은", "는", "에", "로", "의", "도", "와", "과", "랑", "임"),
                       key=len, reverse=True)
# nouns too vague to name a form ("무슨 일을 했어?" is not answered by "3월 1일")
_VAGUE = {"일", "것", "거", "건", "게", "데", "점", "식", "때", "쪽", "분", "곳"}


def which_noun(question: str) -> str | None:
    """The noun asked after 어떤/무슨/어떠한, its particle or ending cut; None if none or too vague.

    >>> which_noun("어떤 법을 만들겠다고 했어?"), which_noun("무슨 법이에요?"), which_noun("어떤 회사야?")
    ('법', '법', '회사')
    >>> which_noun("무슨 일을 했어?"), which_noun("몇 년에 설립됐나요?")
    (None, None)
    """
    m = _WHICH_WORD.search(question)
    if not m:
        return None
    word = m.group(1)
    cut = next((e for e in _NOUN_ENDINGS if word.endswith(e) and len(word) > len(e)), "")
    noun = word[:len(word) - len(cut)]
    return None if noun in _VAGUE else noun


def best_rule(scored: list[Scored]) -> Scored:
    """The rule reader's own answer: its best-scored candidate, whose confidence drives the
    cascade (trust), the whole-passage read (whole_below) and abstention."""
    return max(scored, key=lambda s: s.score)


def states_asked_form(info: QuestionInfo, best: Scored) -> bool:
    """Does the question plainly ask for a number of one kind (얼마, 몇 개, 언제, 기간은) or a purpose (왜,
    목적은) and is the rule reader's answer one of exactly that kind (type fit 1: "4개" for "과제 수는?",
    not "2개동" for "몇 층?"; "인프라를 활용하기 위해" for "왜 세운 건데?")?
    Numbers and purpose clauses (~하기 위해) are what the rules read best in Korean text; the span model
    often takes a salient number of another kind or another item's count ("자동차 분야 과제 수는?" ->
    "헬스케어 6개"), or the thing done for the purpose ("왜 세운 건데?" -> "AI기술센터"). A list asked ("특화
    분야가 뭐뭐예요?") and a list read is the rules' too: the model reads on into the noun the list
    modifies ("헬스케어, 자동차, 에너지 융합 교육·연구"). So is a phrase without digits that ends in the noun
    asked after 어떤/무슨 ("데이터기본법" for "어떤 법을 …?"; the model took "AI기술"): on held-out dev-a
    (eval/train_hybrid.py --keep-settings --dry-run) a few more questions answer alone that way at
    typed_trust 0.4, CV unchanged (71.9 / 82.9)."""
    if best.features.get("type_clash"):
        return False
    if best.features.get("head_match", 0.0) > 0 and (noun := which_noun(info.text)) and \
            best.cand.text.endswith(noun) and not re.search(r"\d", best.cand.text):
        return True   # "데이터기본법" for "어떤 법을 만들겠다고 했어?": the noun asked after 어떤/무슨 ends it
    return info.has_cue and (info.answer_type in NUMERIC or info.answer_type in ("reason", "list")) and \
        best.features.get("type", 0.0) >= 0.99


# "예시된", "예를 든", "사례로", "대표 과제", "대표적인"; not a chief: "대표는 누구야?", "대표이사", "대표 이름"
_CHIEF = r"이사|자|님|\s?이름|(?:는|은|가|이|를|을|의|로|와|과|도)(?:\s|$|[?!.])"
# "그중에 이름 나온 데는?": the one the text names (among a count it gives), an example too; so is what is
# "mentioned as" the noun ("과제로 언급된 건?"; not an adverb's 로: "새로 소개된", "구체적으로 제시한") and
# which one is mentioned ("연구소 중엔 어디가 언급됐어?")
_ASKS_EXAMPLE = re.compile(r"예시|예를|예로|사례|이름\s?(?:이\s?)?(?:나온|나와|언급된|거론된)|대표(?!" + _CHIEF + ")"
                           r"|[가-힣](?<![새주서따])(?<!적으)(?<!음으)(?<!스스)로\s?(?:언급|거론|소개|제시)(?:된|되는|한)"
                           r"|(?:어디|어느\s?[가-힣]+?(?:이|가)|뭐|무엇|누가|누구)\s?(?:가|이)?\s?(?:언급|거론|소개)"
                           r"(?:됐|되었|된|돼)")


def asked_example(question: str, scored: list[Scored], info: QuestionInfo | None = None) -> Scored | None:
    """When the question asks for an example ("협력 연구소로 예시된 곳은?", "대표적인 데는?", "연구소 중엔 어디가
    언급됐어?"), the rules' best candidate that the text gives as one of the asked noun with 등 ("막스플랑크 등
    4개 연구소"); else None. The span model, reading the top passage, votes for a salient name there
    instead ("광주 AI데이터센터"), and the rules' own best may be a name nearer the question's words
    ("카네기멜런대학교" of the next clause). No question of dev-a or Korean TyDi train (4,941) matches the
    cue and has a candidate of one (measured with this cue and pool, Dec 4). `info`: the question's
    analysis (a number asked is no example)."""
    cues = [m.group() for m in _ASKS_EXAMPLE.finditer(question)]
    if not cues or not scored or info is not None and info.has_cue and info.answer_type in NUMERIC:
        return None   # "(헬스케어 과제 예시 하나만 →) 과제는 몇 개야?" asks a count, whatever its topic asked
    # "대표" alone is the weakest cue ("지역별 대표산업과 …"): only the rules' own best may be its example
    pool = [best_rule(scored)] if all(c.startswith("대표") for c in cues) else scored
    return max((s for s in pool if s.features.get("example_of", 0.0) > 0), key=lambda s: s.score, default=None)


def crosses_languages(question: str, passage: str) -> bool:
    """Is the question written in another script than the passage (an English question over Korean text)?

    The span model learned from same-language pairs only (KorQuAD, Korean and English TyDi). Across
    languages it picks the passage's most salient name, not an answer ("Where in Gwangju will the
    national AI cluster be located?" -> "NHN"): on the English questions of our own and held-out sets
    (30) the hybrid lost 4 the rule reader alone answered and won 1 (measured Dec 2).

    >>> crosses_languages("Which company opened an AI center?", "티맥스소프트는 광주 AI기술센터를 설립했다.")
    True
    >>> crosses_languages("NHN 투자액은?", "NHN은 2100억원을 투자한다.")
    False
    >>> crosses_languages("Who?", "SoS Lab was founded.")
    False
    """
    return is_latin_text(question) != is_latin_text(passage)


def rules_alone(info: QuestionInfo | None, scored: list[Scored], best: Scored, trust: float,
                typed_trust: float) -> bool:
    """Does the rules' best answer alone on its evidence: full (confidence >= `trust`) or the asked form at
    `typed_trust` (states_asked_form), with no rival as sure, as fit and close (contested)? The hybrid's
    cascade and eval/train_hybrid.py's CV of it ask this one test. `info` is read only when the typed
    threshold is reached."""
    return (best.confidence >= trust or best.confidence >= typed_trust and states_asked_form(info, best)) and \
        not contested(scored, best)


# Rule-score gap within which an equally sure candidate contests the rules' best. Held-out dev-a CV (open
# mode, 474 q.): 71.7 / 81.4 with no contest, 72.2 / 81.7 at gap 0.5, 72.4 / 81.8 at gaps 1.0-3.0; at 2.0
# 16 of the 73 questions the rules answered alone go to the combiner (12명 of "겸무교수는요?" scores 1.3
# over 15명).
CONTEST = 2.0


def contested(scored: list[Scored], best: Scored, gap: float = CONTEST) -> bool:
    """Does another candidate (another text) have the evidence of the rules' best (its confidence) and a
    score within `gap` of it? Then the rules cannot tell the two apart and their confidence says nothing
    about which: "15명의 겸무교수" and "전임교원을 12명 확보" both hold every word of "겸무교수는요? (전임교원
    몇 명 확보한대?)", and the span model reads which one the question's own word goes with.

    >>> from .candidates import Candidate
    >>> def s(text, score, conf): return Scored(score, conf, Candidate(0, len(text), text, "count"), None, 0, "", {})
    >>> a, b = s("12명", 9.5, 0.92), s("15명", 8.2, 0.92)
    >>> contested([a, b], a), contested([a, b], a, gap=1.0), contested([a, s("15명", 8.2, 0.5)], a)
    (True, False, False)
    """
    return any(s is not best and s.cand.text != best.cand.text and s.confidence >= best.confidence
               and s.score >= best.score - gap and _as_fit(s, best) for s in scored)


def _as_fit(rival: Scored, best: Scored) -> bool:
    """Does the rival fit the question's form as well as the best (type fit, the noun asked after 어떤)?
    "최초" does not contest "데이터기본법" for "어떤 법을 …?", however sure the rules are of both."""
    return all(rival.features.get(k, 0.0) >= best.features.get(k, 0.0) for k in ("type", "head_match"))

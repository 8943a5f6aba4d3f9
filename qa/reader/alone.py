"""When the rule reader answers alone, the span model not asked: tests on the question and the rules' best.

    states_asked_form(info, best)       -> "4개" for "과제 수는?": the very kind of number (or purpose, list) asked
    gives_asked_example(question, best) -> "막스플랑크" for "협력 연구소로 예시된 곳은?"
    crosses_languages(question, passage) -> an English question over a Korean passage

The hybrid (hybrid.py) asks these before it runs the model; what each cost or won on KorQuAD dev-a and
our sets is in its docstring.
"""
from __future__ import annotations

import re

from ..korean import is_latin_text
from .question import QuestionInfo
from .rule_reader import Scored
from .scoring import NUMERIC


def states_asked_form(info: QuestionInfo, best: Scored) -> bool:
    """Does the question plainly ask for a number of one kind (얼마, 몇 개, 언제, 기간은) or a purpose (왜,
    목적은) and is the rule reader's answer one of exactly that kind (type fit 1: "4개" for "과제 수는?",
    not "2개동" for "몇 층?"; "인프라를 활용하기 위해" for "왜 세운 건데?")?
    Numbers and purpose clauses (~하기 위해) are what the rules read best in Korean text; the span model
    often takes a salient number of another kind or another item's count ("자동차 분야 과제 수는?" ->
    "헬스케어 6개"), or the thing done for the purpose ("왜 세운 건데?" -> "AI기술센터"). A list asked ("특화
    분야가 뭐뭐예요?") and a list read is the rules' too: the model reads on into the noun the list
    modifies ("헬스케어, 자동차, 에너지 융합 교육·연구")."""
    return info.has_cue and (info.answer_type in NUMERIC or info.answer_type in ("reason", "list")) and \
        best.features.get("type", 0.0) >= 0.99 and not best.features.get("type_clash")


# "예시된", "예를 든", "사례로", "대표 과제", "대표적인"; not a chief: "대표는 누구야?", "대표이사", "대표 이름"
_CHIEF = r"이사|자|님|\s?이름|(?:는|은|가|이|를|을|의|로|와|과|도)(?:\s|$|[?!.])"
# "그중에 이름 나온 데는?": the one the text names (among a count it gives), an example too; so is what is
# "mentioned as" the noun ("과제로 언급된 건?"; not an adverb's 로: "새로 소개된", "구체적으로 제시한")
_ASKS_EXAMPLE = re.compile(r"예시|예를|예로|사례|이름\s?(?:이\s?)?(?:나온|나와|언급된|거론된)|대표(?!" + _CHIEF + ")"
                           r"|[가-힣](?<![새주서따])(?<!적으)(?<!음으)(?<!스스)로\s?(?:언급|거론|소개|제시)(?:된|되는|한)")


def gives_asked_example(question: str, best: Scored) -> bool:
    """Does the question ask for an example ("협력 연구소로 예시된 곳은?", "대표적인 데는?") and is the rule
    reader's answer the one the text gives of the asked noun with 등 ("막스플랑크 등 4개 연구소")? The span
    model, reading the top passage, votes for a salient name there instead ("광주 AI데이터센터"). No
    question of dev-a or Korean TyDi train (4,941) meets both."""
    return bool(_ASKS_EXAMPLE.search(question)) and best.features.get("example_of", 0.0) > 0


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

"""Where the question word sits, and what the question asks to identify.

    question_slot("선체는 어떠한 나무로 만들었는가?")  -> particle "로", head "나무"
    question_slot("...한 법은?").focus                 -> "법"
    question_slot("민간사업자는 어디야?").focus_tail    -> "사업자"

Pure functions over Kiwi morphemes; the ranker's focus and anchor features
(features.py) read these values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..korean import Morpheme, is_latin_text, morphemes
from .glossary import GLOSSARY

_WH_FORMS = {"어디", "무엇", "누구", "언제", "얼마", "뭐", "무슨", "어떤", "어느", "몇", "어떠하", "어떻", "며칠",
             "누가", "어떠한"}


@dataclass(frozen=True)
class QuestionSlot:
    """What surrounds the question word: its particle and the noun it modifies.

    "선체는 어떠한 나무로 만들었는가?" -> particle "로", head "나무"
    """

    particle: str | None
    head: str | None
    focus: str | None = None   # the noun the question asks to identify ("...한 법은?" -> 법)
    focus_tail: str | None = None   # its last morpheme when that is a word too (민간사업자 -> 사업자)
    left: str | None = None    # the content word right before the question word ("AI의 무엇" -> ai)
    right: str | None = None   # the content word right after its phrase ("무엇이 모인" -> 모이)


# Nouns too vague to locate an answer by ("...한 것은?", "...한 사람은?").
_VAGUE_FOCUS = frozenset({"것", "곳", "사람", "분", "수", "점", "때", "이", "뭐", "무엇", "누구", "어디", "언제", "얼마",
                          "이름", "내용", "등", "중", "거", "건", "명", "개", "년", "월", "일", "배", "동", "편",
                          "가지", "번"})


def question_slot(question: str) -> QuestionSlot:
    """Particle and head around the question word, plus the question's focus noun.

    >>> question_slot("문 대통령이 제정에 속도를 내겠다고 한 법은?").focus
    '법'
    >>> question_slot("광주 AI데이터센터 민간사업자는 어디야?").focus
    '민간사업자'
    """
    english = _english_focus(question)
    if english is not None:
        return english
    morphs = morphemes(question)
    slot = _wh_slot(morphs)
    focus, tail = _focus(morphs, slot.head)
    kind_of = _object_after_classifier(morphs, slot.head)
    if kind_of:
        # the object is part of the answer: the slot's right neighbour is the verb after it
        obj, verb = kind_of
        return replace(slot, focus=obj, focus_tail=obj, right=verb)
    return replace(slot, focus=focus, focus_tail=tail)


def _object_after_classifier(morphs: list[Morpheme], head: str | None) -> tuple[str, str | None] | None:
    """The object noun after "어떤 방식으로" (what the question asks a kind of), and the verb after it.

    "어떤 형식으로 착수식 메시지를 전했어?" -> ("메시지", "전하"): the answer
    ("영상 메시지") is a kind of message, not a kind of 형식.
    """
    if head not in _CLASSIFIERS:
        return None
    i = next((k for k, m in enumerate(morphs) if m.form == head), len(morphs)) + 1
    if i < len(morphs) and morphs[i].tag.startswith("J"):
        i += 1
    noun = None
    while i < len(morphs) and morphs[i].tag in ("NNG", "NNP", "NNB", "XSN"):
        noun = morphs[i].form if morphs[i].tag.startswith("NN") else noun   # 착수 + 식(NNB) + 메시지
        i += 1
    if not noun or i >= len(morphs) or morphs[i].tag != "JKO":
        return None
    verb = next((m.form.lower() for m in morphs[i + 1:] if m.tag in _SLOT_TAGS), None)
    return noun, verb


def _english_focus(question: str) -> QuestionSlot | None:
    """For an English question, the Korean gloss of the noun after which/what ("Which law" -> 법)."""
    if not is_latin_text(question):
        return None
    m = re.search(r"\b(?:which|what)\s+([a-z-]+)", question.lower())
    gloss = GLOSSARY.get(m.group(1)) if m else None
    focus = gloss[0] if gloss else None
    return QuestionSlot(None, None, focus, focus)


def _focus(morphs: list[Morpheme], head: str | None) -> tuple[str | None, str | None]:
    """The head after 어떤/무슨, else the last noun word before the question word (or the end)."""
    if head:
        return (head, head) if head not in _VAGUE_FOCUS else (None, None)
    words: list[str] = []
    tail = ""
    prev_end = -2
    for i, m in enumerate(morphs):
        if m.form in _WH_FORMS and m.tag in ("NP", "MM", "MAG", "NNG", "VA", "NR"):
            # "사업자는 어디야?" asks what the 사업자 is; in "생태계는 어디 안에
            # 조성돼?" the question word is an argument and 생태계 only the topic.
            nxt = morphs[i + 1] if i + 1 < len(morphs) else None
            if nxt is not None and not (nxt.tag in ("VCP", "SF") or nxt.tag.startswith("E")):
                return None, None
            if i > 0 and morphs[i - 1].tag not in ("JX", "JKS") and not morphs[i - 1].tag.startswith("NN"):
                return None, None   # "AI의 무엇이라고": AI only qualifies the question word
            break
        if m.tag.startswith("NN") or m.tag in ("SL", "XSN"):
            if m.start == prev_end and words:
                words[-1] += m.form
            else:
                words.append(m.form)
            tail = m.form if len(m.form) >= 2 else words[-1]
            prev_end = m.end
        else:
            prev_end = -2
    if len(words) >= 2 and words[-1] in _NAME_NOUNS | _CLASSIFIERS and words[-2] not in _VAGUE_FOCUS:
        # "들어설 단지 이름은?" asks for the name of a 단지; "반도체 분야는?",
        # "일자리 형태는?" for a kind of 반도체 / 일자리
        return words[-2], words[-2]
    if not words or words[-1] in _VAGUE_FOCUS:
        return None, None
    return words[-1], tail


_NAME_NOUNS = frozenset({"이름", "명칭", "제목"})

# Nouns that only say "which kind of" the noun before them is asked for.
_CLASSIFIERS = frozenset({"분야", "종류", "형태", "유형", "방식", "형식"})


def _wh_slot(morphs: list[Morpheme]) -> QuestionSlot:
    for i, m in enumerate(morphs):
        if m.form in _WH_FORMS or (m.tag in ("NP", "MM") and m.form.startswith(("어", "무", "누"))):
            head = None
            j = i + 1
            if m.tag in ("MM", "VA") or m.form in ("어떠하", "어떻", "몇", "무슨", "어떤", "어느"):
                while j < len(morphs) and morphs[j].tag in ("ETM",):
                    j += 1
                if j < len(morphs) and morphs[j].tag.startswith("NN"):
                    head = morphs[j].form
                    j += 1
            particle = morphs[j].form if j < len(morphs) and morphs[j].tag.startswith("J") else None
            left = next((x.form.lower() for x in reversed(morphs[:i]) if x.tag in _SLOT_TAGS), None)
            right = next((x.form.lower() for x in morphs[j:] if x.tag in _SLOT_TAGS), None)
            return QuestionSlot(particle, head, left=left, right=right)
    return QuestionSlot(None, None)


# Morphemes that can anchor the question word's position in a sentence.
_SLOT_TAGS = frozenset({"NNG", "NNP", "SL", "SN", "VV", "VA", "XR", "NR"})

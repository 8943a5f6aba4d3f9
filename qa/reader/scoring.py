"""Pure scoring features of a candidate span: type fit and natural boundaries."""
from __future__ import annotations

import re

from .candidates import Candidate
from .question import UNIT_FAMILIES, QuestionInfo

NUMERIC = frozenset({"money", "count", "date", "period", "quantity"})
ANAPHORIC_TIME = ("이날", "당시", "그날", "이때", "그때", "오늘")
_SAME_COUNTER = {"세": "살"}   # an age is written either way
# Counters also written for one another: "몇 곳이야?" is answered by "7개", "몇 군데?" too.
_INTERCHANGEABLE = {**_SAME_COUNTER, "곳": "개", "군데": "개", "개사": "개", "개국": "개"}
# A question that asks how long something took or lasted ("몇 년 만에", "몇 개월 동안", "얼마 동안"):
# a point in time cannot answer it (every such dev-a gold is a length: 43년, 8개월, 30일, 6주).
_DURATION = re.compile(r"몇\s?(?:년|개월|달|주|일|시간|분|초|세기)\s?(?:만에|동안|간)|얼마\s?(?:동안|만에)|얼마나 오래")
_YEARS_AFTER = re.compile(r"몇\s?년\s?만에")   # how many years until something happened
PLACE_SUFFIX = ("지구", "시", "도", "군", "구", "동", "읍", "면", "리", "단지", "캠퍼스", "지역")


def type_score(info: QuestionInfo, cand: Candidate) -> float:
    """How well the candidate's kind fits the expected answer type, in [0, 1]."""
    want, kind = info.answer_type, cand.kind
    if kind == "phrases":   # "수도권과 지역, 도시와 농어촌간 격차": several things, each a phrase
        return 1.0 if info.plural else {"list": 0.6, "description": 0.35}.get(want, 0.1)
    if kind == "coord":   # "A와 B" answers questions after several things
        if info.plural:
            return 1.0
        if re.search(r"\d", cand.text):   # "1941년과 1944년": two numbers, no thing or description
            return 0.6 if want == "list" else 0.15
        return {"list": 0.6, "item": 0.45, "description": 0.4, "unknown": 0.4}.get(want, 0.15)
    if kind in ("list", "pair") and info.plural:
        return 1.0            # "어떤 곳들과?" -> "기업·대학·연구소", whatever the kind of each
    if kind == "pair":        # "구축·운영": one compound unless several things are asked for
        kind = "phrase"
    if want == "reason":      # "왜?", "목적은?": a stated purpose, else at best a phrase
        return 1.0 if kind == "purpose" else 0.1   # a name, a number or a bare phrase is no reason
    if kind == "purpose":
        return 0.15

    if kind == "time":   # 작년, 이날: a date, but vaguer than a written one
        if cand.text in ANAPHORIC_TIME:
            return 0.2 if want == "date" else 0.05   # "이날" only points back at a date
        return 0.7 if want == "date" else 0.05
    if want in NUMERIC:
        if kind == want:
            if want == "count" and info.counter and cand.counter and not same_counter(info.counter, cand):
                return 0.35
            if want == "date" and info.counter and not cand.text.rstrip(")").endswith(info.counter):
                return 0.2   # "며칠에?" wants a day: "2023년" hardly answers it
            if want == "period" and info.counter == "년" and "~" in cand.text:
                # "몇 년 동안?" wants "10년", not "2020~2024년"; "몇 년 만에?" no range at all
                return 0.15 if _YEARS_AFTER.search(info.text) else 0.5
            if want == "quantity" and info.counter in UNIT_FAMILIES and \
                    not re.search(UNIT_FAMILIES[info.counter], cand.text):
                if other_family(info.counter, cand.text):
                    return 0.1   # "전력은?" wants watts: 88.5페타플롭스 is a measure of another kind
                return 0.5   # "연면적은?" wants ㎡; a unit the families do not know may be one
            return 1.0
        if kind in NUMERIC:
            if want == "count" and kind == "quantity" and info.counter and \
                    re.search(r"\d\s?" + re.escape(info.counter) + r"(?![A-Za-z])", cand.text):
                return 1.0    # "몇 페타플롭스야?": typed a count by 몇, a measure in the text ("88.5페타플롭스")
            if want == "quantity" and info.counter in UNIT_FAMILIES:
                return 0.15   # "연면적은?" wants ㎡: 2100억원 or 1억편 is no area at all
            if want == "quantity" and kind == "count":
                return 0.6
            if want == "period" and kind == "date" and _DURATION.search(info.text):
                return 0.15   # "설립 몇 년 만에?" is no "작년 3월"
            return 0.45 if want == "quantity" or {want, kind} == {"date", "period"} else 0.15
        return 0.0
    if kind in NUMERIC:
        return 0.1 if want in ("person", "organization", "place", "list") else 0.3
    if want == "person":
        return {"person": 1.0, "name": 0.45, "phrase": 0.3}.get(kind, 0.1)
    if want == "organization":
        return {"name": 0.9, "person": 0.3, "phrase": 0.35, "quote": 0.3}.get(kind, 0.1)
    if want == "place":
        return 0.95 if cand.text.endswith(PLACE_SUFFIX) else {"name": 0.55, "phrase": 0.3}.get(kind, 0.1)
    if want == "list":
        return {"list": 1.0, "phrase": 0.35, "name": 0.3}.get(kind, 0.1)
    if want == "item":
        return {"phrase": 0.6, "name": 0.6, "quote": 0.75, "list": 0.45}.get(kind, 0.2)
    return {"phrase": 0.5, "name": 0.5, "quote": 0.6, "list": 0.4, "person": 0.5}.get(kind, 0.3)


def boundary_score(text: str, cand: Candidate, morphs) -> float:
    """1 when the span ends where a phrase naturally ends (a particle, 등, comma, end)."""
    after = text[cand.end:cand.end + 3]
    score = 0.0
    nxt = next((m for m in morphs if m.start >= cand.end), None)
    if nxt is None or nxt.tag.startswith("J") or nxt.tag in ("VCP", "SF", "SP", "SSC") or \
            re.match(r"\s*(등|이상|규모|만에)", after):
        score += 0.7
    prev = None
    for m in morphs:
        if m.end <= cand.start:
            prev = m
    if prev is None or prev.tag.startswith(("J", "E")) or prev.tag in ("SP", "SSO", "SF", "MM", "ETM"):
        score += 0.3
    return score


def counter_clash(info: QuestionInfo, cand: Candidate) -> bool:
    """A count in a counter no one writes for the asked one: "몇 층이야?" vs "2개동"."""
    if info.answer_type != "count" or not info.counter or not cand.counter or cand.kind != "count":
        return False
    return not same_counter(info.counter, cand, _INTERCHANGEABLE)


def same_counter(asked: str, cand: Candidate, alike: dict[str, str] = _SAME_COUNTER) -> bool:
    """Does the count `cand` answer "몇 <asked>"? Its counter is the asked one (or one written for it in
    `alike`), or it counts in 개 + the asked one: "2개동" is two 동, "7개국" seven 국.

    >>> two = Candidate(0, 4, "2개동", "count", "개")
    >>> same_counter("동", two), same_counter("층", two)
    (True, False)
    >>> same_counter("세", Candidate(0, 3, "47살", "count", "살")), same_counter("곳", Candidate(0, 2, "7개", "count", "개"))
    (True, False)
    """
    return alike.get(asked, asked) == alike.get(cand.counter, cand.counter) or cand.text.endswith("개" + asked)


def other_family(family: str | None, text: str) -> bool:
    """Is `text` written in the unit of another family than the one asked (a clash, not a weak fit)?
    Not for "ratio" asked: a speed ("속도는?", mapped to 배 for "3배 빠른") may be km/h; nor for no family.

    >>> other_family("power", "88.5페타플롭스"), other_family("area", "57 mm"), other_family("ratio", "300km")
    (True, False, False)
    >>> other_family("area", "591.36 km²"), other_family("power", "평균 3MW"), other_family("compute", "프로그램 3개")
    (False, False, False)
    """
    if family == "ratio" or family not in UNIT_FAMILIES or re.search(UNIT_FAMILIES[family], text):
        return False
    # a unit after a number, maybe with a prefix ("3MW", "88.5페타플롭스"; not the 평 of 평균, the 그램 of 프로그램)
    return any(f != "ratio" and re.search(r"\d\s?\S{0,3}?(?:" + p + ")", text) for f, p in UNIT_FAMILIES.items())

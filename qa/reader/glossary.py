"""A small English -> Korean glossary bridging English questions to Korean text.

Dense retrieval already finds Korean passages for English questions; the
reader still needs to know which Korean words the question is about to pick
the sentence and the span. General news/tech vocabulary only; units (years,
won, times) are left out: they name the answer's kind, not its topic, and as
search words they would count against the answer "10년" itself.
"""
from __future__ import annotations

import re

GLOSSARY: dict[str, tuple[str, ...]] = {
    "invest": ("투자",), "investment": ("투자",), "invests": ("투자",), "funding": ("투자", "지원"),
    "money": ("투자",), "budget": ("사업비", "예산"), "cost": ("비용", "사업비"),
    "student": ("학생",), "students": ("학생",), "select": ("선발", "뽑"), "admit": ("선발", "뽑"),
    "faculty": ("교원",), "professor": ("교수",), "professors": ("교수",), "adjunct": ("겸무",),
    "full-time": ("전임",), "graduate": ("대학원",), "school": ("대학원", "학교"), "university": ("대학",),
    "universities": ("대학",), "institute": ("연구소",), "institutes": ("연구소",), "research": ("연구",),
    "company": ("기업", "회사"), "companies": ("기업",), "global": ("글로벌",), "foreign": ("해외",),
    "data": ("데이터",), "center": ("센터",), "centre": ("센터",), "datacenter": ("데이터센터",),
    "computing": ("연산",), "performance": ("성능",), "power": ("성능",), "supercomputer": ("슈퍼컴퓨터",),
    "faster": ("빠른",), "fast": ("빠른",), "speed": ("속도",),
    "area": ("면적", "연면적"), "floor": ("연면적",), "buildings": ("동", "건축"), "building": ("건축", "동"),
    "jobs": ("일자리",), "job": ("일자리",), "create": ("만들", "마련"),
    "period": ("기간", "년간"), "minister": ("장관",), "ministry": ("부",), "president": ("대통령",),
    "science": ("과학",), "ict": ("정보통신",), "government": ("정부",), "support": ("지원",),
    "cluster": ("단지", "융복합단지"), "complex": ("단지",), "located": ("자리잡",),
    "district": ("지구",), "city": ("광주", "도시"), "gwangju": ("광주",), "korea": ("대한민국", "국내"),
    "startup": ("스타트업", "창업"), "founded": ("설립", "창업"), "established": ("설립",),
    "employees": ("고용",), "employ": ("고용",), "attracted": ("투자유치",), "raised": ("투자유치",),
    "movies": ("영화",), "films": ("영화",), "store": ("저장",), "fields": ("분야",), "field": ("분야",),
    "sectors": ("분야", "산업"), "industries": ("산업",), "projects": ("과제",), "project": ("과제", "프로젝트"),
    "tasks": ("과제",), "car": ("자동차",), "cars": ("자동차",), "automotive": ("자동차",),
    "automobile": ("자동차",), "vehicle": ("차량",), "energy": ("에너지",), "healthcare": ("헬스케어",),
    "health": ("헬스케어",), "autonomous": ("자율주행",), "driving": ("자율주행",), "disaster": ("재난",),
    "genome": ("유전체",), "law": ("법",), "act": ("법",), "ceremony": ("착수식", "현판식"),
    "operate": ("운영",), "operation": ("운영",), "build": ("구축", "건축"), "construction": ("구축", "건축"),
    "selected": ("선정",), "operator": ("사업자",), "operators": ("사업자",), "lidar": ("라이다",),
    "sensor": ("센서",), "signboard": ("현판식",), "democratization": ("민주화",), "ai": ("ai",),
    "plan": ("계획",), "partners": ("협력",), "cooperation": ("협력",), "education": ("교육",),
    "talent": ("인재",), "train": ("양성",), "semiconductor": ("반도체",), "special": ("특수목적",),
    "enact": ("제정",), "enacting": ("제정",), "enactment": ("제정",), "weather": ("날씨",), "price": ("가격",), "age": ("나이",), "address": ("주소",), "tuition": ("등록금",),
    "salary": ("연봉", "급여"), "stock": ("주가", "주식"), "population": ("인구",),
}


def korean_terms(question: str) -> set[str]:
    """Korean words an English question is about.

    >>> sorted(korean_terms("How much will NHN invest?"))
    ['nhn', '투자']
    """
    out: set[str] = set()
    for word in re.findall(r"[A-Za-z][A-Za-z+\-]*", question):
        low = word.lower()
        if low in GLOSSARY:
            out.update(GLOSSARY[low])
        elif low.rstrip("s") in GLOSSARY:
            out.update(GLOSSARY[low.rstrip("s")])
        elif word.isupper() and len(word) >= 2:   # acronyms/names are written the same: NHN, GIST
            out.add(low)
        elif word[0].isupper() and word not in _SENTENCE_STARTERS:
            out.add(low)
    return out


def english_groups(question: str) -> dict[str, set[str]]:
    """Each glossary or name word of an English question -> the Korean forms that would show it.

    >>> sorted(english_groups("How much will NHN invest?").items())
    [('invest', {'투자'}), ('nhn', {'nhn'})]
    """
    out: dict[str, set[str]] = {}
    for word in re.findall(r"[A-Za-z][A-Za-z+\-]*", question):
        low = word.lower()
        gloss = GLOSSARY.get(low) or GLOSSARY.get(low.rstrip("s"))
        if gloss:
            out[low] = set(gloss)
        elif len(word) >= 2 and word[:-1].isupper() and word not in _SENTENCE_STARTERS:   # NHN, GPUs, CEO
            out[low] = {low, low.rstrip("s")}
    return out


_SENTENCE_STARTERS = {"How", "What", "When", "Where", "Who", "Which", "Why", "Is", "Are", "Does", "Did", "Will",
                      "Can", "The", "In", "On", "For", "By", "Of", "A", "An", "Do", "According"}

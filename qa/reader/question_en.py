"""English questions typed by pattern: the kind of answer asked and its counter or unit family.

    english_type("How much will NHN invest?")   -> ("money", None)
    english_type("What is the floor area?")      -> ("quantity", "area")

The Korean reader answers English questions over Korean text too (qa/reader/glossary.py gives the
Korean words to look for); the first pattern that matches names the type, as a Korean question's
question word or cue noun does (qa/reader/question.py).
"""
from __future__ import annotations

import re

_EN = [(r"\bhow (much|big) (money|funding|investment|budget)|\bhow much\b(?!.*\b(faster|area|space|power|electricity|(?:mega|kilo|giga)?watts?)\b)", "money"),
       (r"\bhow long\b|\bperiod\b|\bhow many (years|months)\b", "period"),
       (r"\bhow many times\b|\bhow many (?:mega|kilo|giga)?watts\b", "quantity"), (r"\bhow many\b", "count"),
       (r"\bwhen\b|\b(?:what|which) (?:year|date|day|month)\b|\bday of the month\b", "date"), (r"\bwho\b|\bwhose\b", "person"),
       (r"\bwhere\b", "place"), (r"\b(?:which|what) (company|organization|firm|institute|university|startup|start-up|business|"
        r"school|ministry|agency)\b", "organization"),
       (r"\bperformance\b|\bcomputing power\b|\bfloor area\b|\barea\b|\bhow fast\b|\bhow much faster\b"
        r"|\b(?:mega|kilo|giga)?watts?\b|\belectricity\b|\bpower (?:capacity|consumption|usage|use)\b", "quantity"),
       (r"\bfields?\b|\bindustries\b|\bsectors\b|\bareas of\b", "list"),
       (r"\bwhich (law|project|program|technology|event|facility|product)\b", "item"),
       (r"\bwhy\b|\bpurpose\b|\breason\b|\bwhat for\b", "reason"),
       (r"\bwhat\b|\bwhich\b", "description")]
_EN_FAMILIES = {"area": r"\b(floor )?area\b|\bspace\b|\bsquare\b", "compute": r"\bperformance\b|\bcomputing\b|\bflops\b",
                "ratio": r"\bfaster\b|\btimes\b",
                "power": r"\b(?:mega|kilo|giga)?watts?\b|\belectricity\b|\bpower (?:capacity|consumption|usage|use)\b"}
_EN_COUNTERS = {"명": r"student|faculty|professor|people|person|employee|staff|researcher",
                "개": r"compan|firm|institut|universit|job|project|task|organization",
                "동": r"building", "편": r"movie|film"}


def english_type(q: str) -> tuple[str, str | None]:
    """(answer type, counter or unit family) of an English question: its first matching pattern.

    >>> english_type("How many students does it admit?"), english_type("Which startup was founded?")
    (('count', '명'), ('organization', None))
    """
    low = q.lower()
    for pattern, qtype in _EN:
        if re.search(pattern, low):
            counter = None
            if qtype == "count":
                counter = next((c for c, p in _EN_COUNTERS.items() if re.search(p, low)), None)
            elif qtype == "period" and re.search(r"\bhow many years\b", low):
                counter = "년"
            elif qtype == "quantity":   # the unit family, as 연면적 -> area for a Korean question
                counter = next((f for f, p in _EN_FAMILIES.items() if re.search(p, low)), None)
            return qtype, counter
    return "unknown", None

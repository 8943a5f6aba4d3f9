"""Number candidates: amounts, counts, measures, dates and times with their units.

    numbers("NHN이 향후 10년간 2100억원을 투자한다", morphemes(...))
      -> [Candidate('10년', kind='period'), Candidate('2100억원', kind='money')]

Runs of Kiwi number morphemes (SN, NR) with the unit glued on ("4만6200㎡",
"88.5페타플롭스(PFLOPS)"), plus the readings written in spaced parts: a unit
after a space ("9만 명", "57 mm"), an ordinal ("제16대"), an amount
("1조 8천억원"), a date or time ("2017년 5월 19일", "오전 6시 12분").
"""
from __future__ import annotations

import re

from ..korean import Morpheme, number_runs
from .question import UNIT_FAMILIES
from .span import Candidate

_TWO_SYLLABLES = re.compile(r"[가-힣]{2}")
_NAMED_PART = re.compile(r"[\d.,]+([가-힣]+)")   # a number and the Hangul word after it: "3지구"
# units of measure: the question's unit families, and volume, degrees and time ("20미터" is no name's part)
_UNITS = re.compile("|".join([*UNIT_FAMILIES.values(), "리터", "도", "시간", "분", "초"]))
_NUM_PARTS = {"SN", "NR", "NNB", "SW", "SO"}
COUNTERS = ("명", "개", "곳", "편", "동", "가지", "건", "개국", "개사", "대", "차례", "종", "권", "회", "살", "세")


def numbers(text: str, morphs: list[Morpheme]) -> list[Candidate]:
    """2100억원, 50명, 4만6200㎡, 2020~2024년, 88.5페타플롭스(PFLOPS), 1200여개, 10년(간)."""
    out: list[Candidate] = []
    for i, j in _split_date_ranges(morphs, number_runs(morphs, _continues_number)):
        start, end = morphs[i].start, morphs[j - 1].end
        if text[end:end + 1] == "째":
            end += 1   # "6번째", "두 번째": an ordinal ends with 째 (4 dev-a answers do, none stops before it)
        end = _with_parenthetical(text, end)
        surface = text[start:end]
        base = Candidate(start, end, surface, _number_kind(surface, morphs[i:j], morphs[j:j + 1]), _counter_of(surface))
        out.append(base)
        # "작년 3월", "향후 10년": a time word right before the number belongs to it.
        if i > 0 and morphs[i - 1].form in ("작년", "올해", "내년", "지난해") and morphs[i - 1].end + 1 == start:
            out.append(Candidate(morphs[i - 1].start, end, text[morphs[i - 1].start:end], "date"))
        if i > 0 and morphs[i - 1].form == "제" and morphs[i - 1].end == start:   # "제16대": an ordinal
            out.append(Candidate(morphs[i - 1].start, end, text[morphs[i - 1].start:end], base.kind, base.counter))
        unit = _spaced_unit(text, morphs, j) if morphs[j - 1].tag in ("SN", "NR") else None
        if unit is not None:   # "9만 명", "57 mm": the unit after a space belongs to the number
            surface = text[start:unit]
            out.append(Candidate(start, unit, surface, _number_kind(surface, morphs[i:j + 1], morphs[j + 1:j + 2]),
                                 _counter_of(surface)))
    joined = _spaced_amounts(text, out)
    # "36만 905명" is one number: neither "36만" nor "905명" is one of the text's numbers
    parts = {(c.start, c.end) for a in joined for c in out if a.start <= c.start and c.end <= a.end}
    out = [c for c in out if (c.start, c.end) not in parts] + joined
    # "첨단3지구", "광주2공장": a number glued to a word of two or more syllables and followed by a noun
    # that is no unit is part of a name (of 3,316 dev-a golds two start on a digit right after a
    # syllable, both after 제: "제16대", "제7조5항"); "오전6시", "최대30%", "향후5년간" stay
    out = [c for c in out if not _in_name(text, c)]
    dates = _full_dates(text, out)
    # "오전 6시 12분": the part of the day belongs to the time
    for c in (*out, *dates):
        if re.match(r"\d+시", c.text) and text[max(0, c.start - 3):c.start] in ("오전 ", "오후 ", "새벽 ", "저녁 "):
            dates.append(Candidate(c.start - 3, c.end, text[c.start - 3:c.end], "date"))
    # "기원전 206년", "기원전 544년 2월 15일": the era is part of the year (and makes a short one a date)
    for c in (*out, *dates):
        era = _ERA.search(text, 0, c.start)
        if era and re.match(r"[\d,]+년", c.text) and (c.kind == "date" or c.text.endswith("년")):
            dates.append(Candidate(era.start(), c.end, text[era.start():c.end], "date"))
    return out + dates


def _in_name(text: str, cand: Candidate) -> bool:
    """Is the number a part of a name: a "quantity" in a Hangul word that is no unit, written on to a
    word of 2+ syllables ("첨단3지구", not "연면적 4만6200평" or "오전6시")?

    >>> _in_name("광주첨단3지구", Candidate(4, 7, "3지구", "quantity")), _in_name("길이20미터", Candidate(2, 6, "20미터", "quantity"))
    (True, False)
    >>> _in_name("5단지", Candidate(0, 3, "5단지", "quantity")), _in_name("오전6시", Candidate(2, 4, "6시", "date"))
    (False, False)
    """
    if cand.kind != "quantity" or cand.start < 2 or not _TWO_SYLLABLES.fullmatch(text[cand.start - 2:cand.start]):
        return False
    part = _NAMED_PART.fullmatch(cand.text)
    return part is not None and not _UNITS.search(part.group(1))


def _split_date_ranges(morphs: list[Morpheme], runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A ~ between a day and a year ("1월 27일~1791년 12월 5일") ends one date and starts another:
    the run splits there, so each date joins its own parts. A range of one unit ("3일~5일",
    "2022~2025년") stays one run.

    >>> from qa.korean import morphemes
    >>> ms = morphemes("27일~1791년")
    >>> _split_date_ranges(ms, [(0, len(ms))])
    [(0, 2), (3, 5)]
    """
    out = []
    for i, j in runs:
        for k in range(i + 2, j - 1):
            if morphs[k].form == "~" and morphs[k - 1].form in _DATE_UNITS:
                after = next((m.form for m in morphs[k + 1:j] if m.form in _DATE_UNITS), None)
                if after is not None and after != morphs[k - 1].form:
                    out += [(i, k), (k + 1, j)]
                    break
        else:
            out.append((i, j))
    return out


def _spaced_amounts(text: str, numbers: list[Candidate]) -> list[Candidate]:
    """Amounts written in spaced parts: "1조 8천억원", "1조 8천원" -> one candidate more."""
    out: list[Candidate] = []
    ordered = sorted(numbers, key=lambda c: (c.start, c.end))
    for a in ordered:
        if not a.text.endswith(("조", "억", "만", "천")):
            continue
        b = max((c for c in ordered if c.start == a.end + 1 and text[a.end] == " " and c.text[0].isdigit()
                 and c.kind != "date"), key=lambda c: c.end, default=None)   # "8억 8천만 원", its unit too
        if b is not None:
            surface = text[a.start:b.end]
            out.append(Candidate(a.start, b.end, surface, _number_kind(surface, [], []), _counter_of(surface)))
    return out


_AMOUNT_HEAD = re.compile(r"(?:\d[\d,.]*\s?(?:조|억|만|천)\s)+$")


def amount_start(text: str, start: int) -> int:
    """Where the amount holding a number at `start` begins: a number written in spaced parts is read
    whole ("36만 905명", "11조 4000억원": 19 dev-a golds are written so; the span model had read 7 of
    them as their last part).

    >>> t = "청원에 36만 905명이 동참"
    >>> t[amount_start(t, t.index("905")):t.index("이 동")]
    '36만 905명'
    """
    if not text[start:start + 1].isdigit():
        return start
    m = _AMOUNT_HEAD.search(text, max(0, start - 40), start)
    return m.start() if m else start


_LATIN_UNITS = frozenset({"mm", "cm", "m", "km", "g", "kg", "t", "W", "kW", "MW", "GW", "kWh", "MWh", "V", "Hz",
                          "MHz", "GHz", "KB", "MB", "GB", "TB", "PB", "ha", "L", "ml", "mL", "PFLOPS", "TFLOPS"})


def _spaced_unit(text: str, morphs: list[Morpheme], j: int) -> int | None:
    """End of a counter or unit written one space after a number, else None."""
    if j >= len(morphs) or morphs[j].start != morphs[j - 1].end + 1 or text[morphs[j - 1].end] != " ":
        return None
    m = morphs[j]
    counter = m.tag == "NNB" and (m.form in COUNTERS or m.form in ("원", "달러", "엔", "세", "살"))
    latin = m.form in _LATIN_UNITS and (m.end >= len(text) or not (text[m.end].isascii() and text[m.end].isalnum()))
    return m.end if counter or latin else None


_DATE_ORDER = re.compile(r"\d+(년|월|일|시|분)$")
_DATE_UNITS = ("년", "월", "일")
_SHORT_YEAR = re.compile(r"\d{1,3}년")
_ERA = re.compile(r"(?<![가-힣])(기원전|기원후|서기) ?$")


def _full_dates(text: str, numbers: list[Candidate]) -> list[Candidate]:
    """Dates written in parts joined into one: "2017년", "5월", "19일" -> "2017년 5월 19일".

    Each part stays a candidate of its own ("몇 월에?" wants "5월"); the
    whole is one more, for "날짜는?". Parts must run year -> month -> day -> hour -> minute.
    """
    # minutes only after an hour: "12분" alone is a quantity ("12분 걸린다"); a year of under four
    # digits ("223년": a period on its own) only before a month and a day ("223년 6월 10일"; "징역
    # 1년 6월" is a term)
    parts = sorted((c for c in numbers if _DATE_ORDER.search(c.text) and
                    (c.kind == "date" or c.text.endswith("분") or _SHORT_YEAR.fullmatch(c.text))),
                   key=lambda c: c.start)
    order = {"년": 0, "월": 1, "일": 2, "시": 3, "분": 4}
    out: list[Candidate] = []
    for k, first in enumerate(parts):
        last = first
        for nxt in parts[k + 1:]:
            if text[last.end:nxt.start] != " " or \
                    order[_DATE_ORDER.search(nxt.text).group(1)] <= order[_DATE_ORDER.search(last.text).group(1)]:
                break
            last = nxt
            if first.kind == "date" or order[_DATE_ORDER.search(last.text).group(1)] >= 2:
                out.append(Candidate(first.start, last.end, text[first.start:last.end], "date"))
    return out


def _continues_number(m: Morpheme, prev: Morpheme) -> bool:
    if m.form == "만" and prev.tag != "SN":
        return False   # "5년만에": 만 means "after", not 10,000
    if m.tag in _NUM_PARTS or m.form in ("여",):
        return m.form not in ("(", ")")
    # units written as nouns or Latin letters: 페타플롭스, PFLOPS, 배, 개동
    return (m.tag in ("NNG", "SL") and len(m.form) <= 5) and m.form not in _NOT_UNITS


# Nouns glued to a number that qualify it rather than name its unit ("4번정도", "1969년전").
_NOT_UNITS = frozenset({"이상", "이하", "규모", "만에", "간", "정도", "가량", "내외", "남짓", "전", "후", "경", "쯤",
                        "당시", "동안", "이후", "이전", "초", "말", "중", "무렵"})


def _with_parenthetical(text: str, end: int) -> int:
    m = re.match(r"\([A-Za-z0-9 ./%]{1,15}\)", text[end:])
    return end + m.end() if m else end


def _counter_of(surface: str) -> str | None:
    for c in sorted(COUNTERS, key=len, reverse=True):
        if re.search(r"\d(여)?" + c + r"(동)?$", surface) or surface.endswith(c):
            return c
    return None


# Currencies a sum may be written in ("1100만달러", "500만 유로"): dev-a and Korean TyDi train hold 14 such golds.
_CURRENCY = re.compile(r"[\d만억천조백]\s?(?:달러|엔|유로|위안|파운드|프랑|루블|페소|마르크|리라|루피)$")


def _number_kind(surface: str, parts: list[Morpheme], following: list[Morpheme]) -> str:
    if surface.endswith("원") or _CURRENCY.search(surface):
        return "money"
    if re.search(r"\d~\d", surface):
        return "period"
    if re.search(r"\d{4}-\d{2}-\d{2}", surface) or re.search(r"(^|[^\d])\d{4}년$", surface) or \
            surface.endswith(("월", "일")) or re.search(r"\d{4}~\d{4}년", surface) or re.fullmatch(r"\d+시", surface):
        return "date"
    if surface.endswith(("년", "개월", "주")):
        return "period" if following and following[0].form in ("간", "동안") or not re.search(r"\d{4}", surface) \
            else "date"
    if _counter_of(surface):
        return "count"
    return "quantity"


# a question asking how long: "몇 년 동안", "기간은?", "며칠간", "몇 년에 걸쳐", "얼마나 오래"
_ASKS_HOW_LONG = re.compile(r"동안|기간|[몇며].{0,4}간|걸쳐|얼마나\s?오래|how long", re.IGNORECASE)
_SPAN_OF_TIME = re.compile(r"\d\s?(?:년|개월|달|일|주|시간)$")
# a question asking until when: "언제까지?", "몇 년까지"
_ASKS_UNTIL = re.compile(r"(?:언제|며칠|몇\s?\S{0,2}(?:년|월|일))\s?까지")
_POINT_OF_TIME = re.compile(r"\d\s?(?:년|월|일|분기)$|(?:올해|내년|연말|상반기|하반기)$")
_PARTICLE_AFTER = "의에은는을를이도만"


def with_asked_suffix(sentence: str, start: int, end: int, question: str) -> int:
    """The answer's end with the 간 the sentence writes after a span of time when the question asks how
    long ("몇 년 동안?" -> "10년간" of "향후 10년간 구축"), or the 까지 after a point in time when it asks
    until when ("언제까지?" -> "2023년까지"); `end` otherwise.

    People asking so expect the suffix: every gold list of the five question sets written blind
    here holds the suffixed form (10년간, 2023년까지), a third to a half of them without the bare one.
    KorQuAD's golds stop before a 간 (4 of the 5 dev + TyDi-train golds next to one; about 0.05 EM
    given for them) and hold one date asked 언제까지, a range.

    >>> s = "NHN은 향후 10년간 2100억원을 투자하고 오는 2023년까지 12명을 뽑는다"
    >>> s[8:with_asked_suffix(s, 8, 11, "몇 년 동안 투자해?")], s[8:with_asked_suffix(s, 8, 11, "언제부터야?")]
    ('10년간', '10년')
    >>> s[29:with_asked_suffix(s, 29, 34, "언제까지 뽑아?")], s[29:with_asked_suffix(s, 29, 34, "언제 뽑아?")]
    ('2023년까지', '2023년')
    """
    span = sentence[start:end]
    if sentence[end:end + 1] == "간" and _SPAN_OF_TIME.search(span) and _ASKS_HOW_LONG.search(question):
        suffix = 1
    elif sentence[end:end + 2] == "까지" and _POINT_OF_TIME.search(span) and _ASKS_UNTIL.search(question):
        suffix = 2
    else:
        return end
    after = sentence[end + suffix:end + suffix + 1]
    return end if re.match(r"[가-힣]", after) and after not in _PARTICLE_AFTER else end + suffix

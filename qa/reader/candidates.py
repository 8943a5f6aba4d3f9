"""Candidate answer spans inside one sentence, built from morpheme runs.

    spans("NHN이 향후 10년간 2100억원을 투자한다")
      -> [Candidate('NHN', kind='name'), Candidate('10년', kind='period'),
          Candidate('2100억원', kind='money'), ...]

Kinds: money, count, date, period, quantity (numbers with units, numbers.py); name,
phrase (noun runs and their word-aligned sub-runs); list (three or more
coordinated nouns); phrases (a comma list of short phrases); pair ("구축·운영"); coord ("A와 B"); quote (text in quotes);
person; time (작년, 이날); purpose ("... 강화를 위해", "... 활용하기 위해").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..korean import Morpheme, morphemes
from .boundary import cut_before_stem
from .numbers import numbers
from .span import Candidate

_NOUNISH = {"NNG", "NNP", "SL", "SH", "SN", "NR", "XPN", "XR", "NNB"}
TITLES = ("대통령", "장관", "대표", "교수", "총장", "원장", "시장", "위원장", "회장", "사장", "이사장", "박사")
MAX_WORDS = 5


@lru_cache(maxsize=4096)
def spans(sentence: str) -> tuple[Candidate, ...]:
    """All candidates of a sentence, de-duplicated by span and kind (cached: sentences recur)."""
    morphs = morphemes(sentence)
    found: dict[tuple[int, int], Candidate] = {}
    for cand in (*numbers(sentence, morphs), *_lists(sentence, morphs), *_noun_runs(sentence, morphs),
                 *_dot_pairs(sentence, morphs), *_quotes(sentence), *_coordinations(sentence, morphs),
                 *_purposes(sentence, morphs), *_comma_lists(sentence, morphs)):
        if cut_before_stem(sentence, cand.end):
            continue   # "티맥스소프" of "티맥스소프트는", which Kiwi read as 티맥스소프 + 트다
        # a purpose may also be a plain phrase ("AI융합인재 양성"): keep both readings
        found.setdefault((cand.start, cand.end, cand.kind == "purpose"), cand)
    return tuple(found.values())


def _noun_runs(text: str, morphs: list[Morpheme]) -> list[Candidate]:
    """Runs of nouns across spaces ("특수목적차량 자율주행") and their word-aligned sub-runs."""
    out: list[Candidate] = []
    for run in _runs(morphs):
        words = _words(text, run)
        for a in range(len(words)):
            for b in range(a + 1, min(len(words), a + MAX_WORDS) + 1):
                s, e = words[a][0], words[b - 1][1]
                surface = text[s:e]
                inner = surface.split()
                if "등" in inner or inner[0] in FUNCTION_NOUNS or inner[-1] in FUNCTION_NOUNS:
                    continue   # "이노우에 가오루 등", "동안 프랑스 혁명": 등 and 동안 belong to no name
                person = (a == 0 and b == 1 and _is_name_before_title(text, run, surface)) or \
                    (b == a + 2 and _is_surname_title(text[s:words[a][1]], text[words[a + 1][0]:e]))
                out.append(Candidate(s, e, surface, "person" if person else _phrase_kind(text, e, run, s)))
    return out


# Bound and frame nouns that open or close no name.
FUNCTION_NOUNS = frozenset({"동안", "때", "중", "내", "외", "간", "측", "뒤", "앞", "속", "가운데", "사이", "이후", "이전",
                             "당시", "경우", "무렵"})


def _is_surname_title(first: str, second: str) -> bool:
    """"문" + "대통령": a one-syllable surname and a title name a person ("문 대통령")."""
    return bool(re.fullmatch(r"[가-힣]", first)) and second in TITLES


def _runs(morphs: list[Morpheme]) -> list[list[Morpheme]]:
    """Maximal sequences of noun-like morphemes joined by nothing or one space."""
    runs: list[list[Morpheme]] = []
    cur: list[Morpheme] = []
    for m in morphs:
        joinable = m.tag in _NOUNISH or (m.tag == "XSN" and m.form not in ("간",)) or \
            (m.tag == "SW" and m.form in "+&")
        if joinable and cur and m.start - cur[-1].end <= 1:
            cur.append(m)
        elif joinable:
            if cur:
                runs.append(cur)
            cur = [m]
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def _words(text: str, run: list[Morpheme]) -> list[tuple[int, int]]:
    """Split a run at spaces into (start, end) word spans."""
    words: list[tuple[int, int]] = []
    for m in run:
        if words and m.start == words[-1][1]:
            words[-1] = (words[-1][0], m.end)
        else:
            words.append((m.start, m.end))
    return words


def _is_name_before_title(text: str, run: list[Morpheme], word: str) -> bool:
    """"최기영" in "최기영 과학기술정보통신부 장관": a short Hangul word opening a run that ends in a title."""
    run_text = text[run[0].start:run[-1].end]
    return bool(re.fullmatch(r"[가-힣]{2,4}", word)) and run_text.endswith(TITLES) and run_text != word \
        and word not in _TIME_WORDS


_TIME_WORDS = ("작년", "올해", "내년", "지난해", "이날", "당시", "오늘", "어제", "최근", "매년")


def _phrase_kind(text: str, end: int, run: list[Morpheme], start: int | None = None) -> str:
    if text[run[0].start:end].strip() in _TIME_WORDS:
        return "time"
    following = text[end:end + 4].lstrip()
    single_word = start is None or " " not in text[start:end]
    own = text[run[0].start if start is None else start:end]
    if following.startswith(TITLES) and single_word and re.fullmatch(r"[가-힣]{1,4}", own):
        return "person"   # "최기영 장관" -> 최기영; not "과학기술정보통신부 (장관)"
    if _unit_gloss(text, run[0].start if start is None else start, end):
        return "phrase"
    if any(m.tag == "NNP" or (m.tag == "SL" and m.form.upper() not in GENERIC_LATIN) for m in run):
        return "name"
    return "phrase"


def _unit_gloss(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a unit's Latin spelling in brackets right after a number's unit ("PFLOPS" of
    "88.5페타플롭스(PFLOPS)", "MW" of "40메가와트(MW)"), not a name ("3사(SKT)" keeps SKT)?

    >>> _unit_gloss("88.5페타플롭스(PFLOPS) 규모", 10, 16), _unit_gloss("통신 3사(SKT) 중", 6, 9)
    (True, False)
    """
    return text[start - 1:start] == "(" and text[end:end + 1] == ")" and \
        bool(_LATIN_UNIT.fullmatch(text[start:end])) and \
        bool(re.search(r"\d\s?[가-힣A-Za-z]+$", text[max(0, start - 25):start - 1]))


# Latin spellings of units: flops, watts, bytes, bits per second, hertz, metres, grams, hectares, ...
_LATIN_UNIT = re.compile(r"[kKMGTPE]?(?:FLOPS|flops|W|Wh|B|bps|Hz)|[kcm]?m[23²³]?|[km]?g|ha|[kM]?t|rpm|dB",
                         re.ASCII)


# Latin-script words that are vocabulary, not names.
GENERIC_LATIN = {"AI", "IT", "X", "R", "D", "ICT", "SW", "HW", "IOT", "VR", "AR", "BD", "R&D", "PC", "TV", "CEO"}


def _lists(text: str, morphs: list[Morpheme]) -> list[Candidate]:
    """Coordinated nouns: "헬스케어, 자동차, 에너지", "자동차·에너지·헬스케어"."""
    out: list[Candidate] = []
    for m in re.finditer(r"[\w+]+(?:(?:, |·)[\w+]+){2,}", text):
        s, e = m.start(), m.end()
        # trim a trailing particle glued to the last item ("에너지와" -> "에너지")
        last = [x for x in morphs if s <= x.start < e]
        while last and last[-1].tag.startswith(("J", "E", "X", "V")):
            e = last.pop().start
        out.append(Candidate(s, e, text[s:e], "list"))
        head = _shared_head(text, morphs, e) if "·" in m.group() and e == m.end() else None
        if head:
            out.append(Candidate(s, head, text[s:head], "phrase"))
    return out


def _shared_head(text: str, morphs: list[Morpheme], end: int) -> int | None:
    """End of the one noun word right after a "·" list, when it heads the whole list.

    "창업·연구·인재양성 인프라와" -> the end of "인프라": the infrastructure of
    all three, which is what "어떤 인프라?" asks for.
    """
    i = next((k for k, x in enumerate(morphs) if x.start == end + 1), None)
    if text[end:end + 1] != " " or i is None:
        return None
    stop = end + 1
    while i < len(morphs) and morphs[i].start == stop and morphs[i].tag in ("NNG", "NNP"):
        stop = morphs[i].end
        i += 1
    glued = i < len(morphs) and morphs[i].start == stop and not morphs[i].tag.startswith("J")
    return None if stop == end + 1 or glued else stop


def _dot_pairs(text: str, morphs: list[Morpheme]) -> list[Candidate]:
    """Two nouns joined by a middle dot, one compound in news style: "구축·운영", "투자협약·착수식"."""
    out: list[Candidate] = []
    for k, m in enumerate(morphs):
        if m.form != "·":
            continue
        i = k
        while i > 0 and morphs[i - 1].end == morphs[i].start and morphs[i - 1].tag in _NOUNISH:
            i -= 1
        j = k + 1
        while j < len(morphs) and morphs[j].start == morphs[j - 1].end and (morphs[j].tag in _NOUNISH or
                                                                            morphs[j].tag == "XSN"):
            j += 1   # "재직자" = 재직 + 자 (XSN)
        three_or_more = (i > 0 and morphs[i - 1].form == "·") or (j < len(morphs) and morphs[j].form == "·")
        if i < k and j > k + 1 and not three_or_more:
            out.append(Candidate(morphs[i].start, morphs[j - 1].end, text[morphs[i].start:morphs[j - 1].end],
                                 "pair"))
    return out


def _coordinations(text: str, morphs: list[Morpheme]) -> list[Candidate]:
    """"A와 B", "A과 B": two noun phrases joined by 와/과 ("데이터댐과 데이터고속도로").

    Each side is a noun run of at most three words; the pair is one candidate
    of kind "coord", which fits questions asking for several things.
    """
    out: list[Candidate] = []
    runs = _runs(morphs)
    for left, right in zip(runs, runs[1:]):
        joint = [m for m in morphs if left[-1].end <= m.start < right[0].start]
        if len(joint) != 1 or joint[0].tag != "JC" or joint[0].form not in ("와", "과"):
            continue
        lw, rw = _words(text, left), _words(text, right)
        rw = rw[:next((n for n, (a, b) in enumerate(rw) if text[a:b] == "등"), len(rw))]
        s = lw[max(0, len(lw) - 3)][0]
        for n in range(1, min(3, len(rw)) + 1):
            e = rw[n - 1][1]
            out.append(Candidate(s, e, text[s:e], "coord"))
    return out


def _quotes(text: str) -> list[Candidate]:
    out = []
    for m in re.finditer(r"'([^']{2,30})'|‘([^’]{2,30})’", text):
        g = 1 if m.group(1) else 2
        out.append(Candidate(m.start(g), m.end(g), m.group(g), "quote"))
    return out


def _purposes(text: str, morphs: list[Morpheme]) -> list[Candidate]:
    """The purpose (or cause) a sentence states, for why-questions.

    "AI+X 교육·연구 강화를 위해" -> "AI+X 교육·연구 강화";
    "우수 인프라를 활용하기 위해" -> "우수 인프라를 활용하기 위해" and "우수 인프라를 활용".
    """
    out: list[Candidate] = []
    for k, m in enumerate(morphs):
        if m.form != "위하" or m.tag != "VV" or k < 2:
            continue
        prev = morphs[k - 1]
        if prev.tag == "JKO":                       # "X를 위해": X is the purpose
            s = _phrase_start(morphs, k - 2)
            if s is not None:
                out.append(_span(text, morphs[s].start, morphs[k - 2].end, "purpose"))
        elif prev.form == "기" and prev.tag == "ETN":   # "X를 V하기 위해": the clause is
            v = k - 2
            stem = v - 1 if morphs[v].tag in ("XSV", "XSA") and v > 0 else v
            first = stem
            if stem >= 2 and morphs[stem - 1].tag == "JKO":
                first = _phrase_start(morphs, stem - 2) or stem
            wie = morphs[k + 1].end if k + 1 < len(morphs) and morphs[k + 1].start <= m.end else m.end
            out.append(_span(text, morphs[first].start, max(m.end, wie), "purpose"))
            if stem != v:   # "활용하기 위해" -> also "... 활용"
                out.append(_span(text, morphs[first].start, morphs[stem].end, "purpose"))
    for k, m in enumerate(morphs):   # a cause: "폭설 때문에", "폭설로 인해" -> "폭설"
        cause = (m.form == "때문" and m.tag == "NNB") or \
            (m.form == "인하" and k >= 2 and morphs[k - 1].form in ("로", "으로") and morphs[k - 1].tag == "JKB")
        end = k - 1 if m.form == "때문" else k - 2
        s = _phrase_start(morphs, end) if cause and end >= 0 else None
        if s is not None:
            out.append(_span(text, morphs[s].start, morphs[end].end, "purpose"))
    return out


def _phrase_start(morphs: list[Morpheme], i: int) -> int | None:
    """Index where the noun phrase ending at morpheme i begins ("AI+X 교육·연구 강화"), at most five words back."""
    if i < 0 or morphs[i].tag not in _NOUNISH | {"XSN"}:
        return None
    j, spaces = i, 0
    while j > 0 and (morphs[j - 1].tag in _NOUNISH | {"XSN"} or morphs[j - 1].form in ("·", "+")) and \
            morphs[j].start - morphs[j - 1].end <= 1:
        spaces += morphs[j].start - morphs[j - 1].end
        if spaces >= MAX_WORDS:
            break
        j -= 1
    return j


def _span(text: str, start: int, end: int, kind: str) -> Candidate:
    return Candidate(start, end, text[start:end], kind)


@dataclass(frozen=True)
class _Word:
    """One space-separated word: where its nouns end and what follows them."""

    start: int
    core_end: int    # end of the leading noun run (== start when it opens with no noun)
    tail: str        # "" (nouns only), "and" (와/과), "case" (another particle), "other"
    comma: bool      # a comma ends the word


_MAX_ITEM_WORDS = 3


def _comma_lists(text: str, morphs: list[Morpheme]) -> list[Candidate]:
    """Comma lists whose items are short phrases.

    "AI 기초, AI 소프트웨어·하드웨어 핵심, 현장응용, 확산 등" and
    "수도권과 지역, 도시와 농어촌간 격차를" -> one "phrases" candidate each
    (without the particle or 등 after the last item).
    """
    words = _classify_words(text, morphs)
    out: list[Candidate] = []
    k = 0
    while k < len(words):
        if not (words[k].comma and words[k].tail in ("", "and") and words[k].core_end > words[k].start):
            k += 1
            continue
        first = k
        while first > 0 and k - first + 1 < _MAX_ITEM_WORDS and not words[first - 1].comma and \
                words[first - 1].tail in ("", "and") and words[first - 1].core_end > words[first - 1].start and \
                text[words[first - 1].start:words[first - 1].core_end] != "등":
            first -= 1
        j, end = k + 1, None
        while j < len(words):   # items after the first, each up to three words
            n = 0
            while j < len(words) and n < _MAX_ITEM_WORDS:
                w = words[j]
                if w.core_end == w.start or text[w.start:w.core_end] == "등":
                    break
                n, j = n + 1, j + 1
                if w.comma or w.tail in ("case", "other"):
                    break
            if n == 0:
                break
            last = words[j - 1]
            end = last.core_end
            if not last.comma or last.tail not in ("", "and"):
                break
        items = text[words[first].start:end].split(", ") if end is not None else []
        # Single words before the last item: the last one's extra words are a shared head
        # ("헬스케어, 자동차, 에너지 융합 교육"), and _lists has the single-word list already.
        # A date opening the sentence ("2005년 1월 2일, ...") is no item of a list.
        if len(items) >= 2 and any(" " in item for item in items[:-1]) and not _DATE_ITEM.fullmatch(items[0]):
            out.append(_span(text, words[first].start, end, "phrases"))
        k = max(j, k + 1)
    return out


_DATE_ITEM = re.compile(r"[\d년월일 .~]+")


def _classify_words(text: str, morphs: list[Morpheme]) -> list[_Word]:
    out: list[_Word] = []
    for m in re.finditer(r"\S+", text):
        inside = [x for x in morphs if m.start() <= x.start < m.end()]
        comma = m.group().endswith(",")
        if comma:
            inside = [x for x in inside if x.form != ","]
        i = 0
        while i < len(inside) and (inside[i].tag in _NOUNISH | {"XSN"} or inside[i].form in ("·", "+")):
            i += 1
        core_end = inside[i - 1].end if i else m.start()
        rest = inside[i:]
        if not rest:
            tail = ""
        elif len(rest) == 1 and rest[0].tag == "JC" and rest[0].form in ("와", "과"):
            tail = "and"
        elif all(x.tag.startswith("J") for x in rest):
            tail = "case"
        else:
            tail = "other"
        out.append(_Word(m.start(), core_end, tail, comma))
    return out

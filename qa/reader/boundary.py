"""Span boundaries the Korean way: a span does not end on a particle, copula or ending, nor hold
half a quote or bracket, nor begin or end inside a word, nor hold two phrases.

The span model reads sub-word pieces, so it sometimes keeps what hangs off
the last word ("2100억원을", "2023년이다"). Kiwi's morphemes of the passage say
where the word proper ends. The model's spans and the rules' candidates share these checks
(neural/reader.py's trim_edges, candidates.py).

    >>> trim_particles("NHN은 2100억원을 투자한다.", 5, 12)
    (5, 11)
"""
from __future__ import annotations

from ..korean import morphemes

# Particles (J*), the copula (VCP) and endings (E*) never end an answer; nor do suffixes that only
# make a verb of a noun (XSV, XSA: "투자하" -> "투자").
_TRAILING = ("J", "E", "VCP", "XSV", "XSA")


def trim_particles(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) of `text` without trailing particles/endings; unchanged when nothing would remain."""
    inside = _inside(text, start, end)
    # the last morpheme may straddle `end` when the model cut mid-word: only whole morphemes count
    new_end = end
    while inside and inside[-1].tag.startswith(_TRAILING):
        inside.pop()
        if inside:
            new_end = inside[-1].end
    if not inside or new_end <= start:
        return start, end
    return start, new_end


# Quote marks that open and close a quoted phrase or title. The ASCII apostrophe is left out: it is
# also the apostrophe of English names ("A Hard Day's Night").
_PAIRS = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"), ("《", "》"), ("〈", "〉"))
_BRACKETS = (("(", ")"), ("[", "]"), ("（", "）"))


def balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) cut where it opens or closes a quote or bracket it does not match. A quote: the
    quoted part is the answer, the words outside it are the sentence around it. A bracket: it
    glosses what stands before it ("실용정부(實用政府)"), so a span left holding half of it ends before
    it; a lone closing one starts it after, unless its opening half, right before the span, began
    the answer and was trimmed off as an edge ("(NH2CHRnCOOH)n"). No dev-a answer holds
    an unmatched bracket, one in 3,316 an unmatched quote (an apostrophe); the model's spans cross
    both now and then.

    >>> t = '문 대통령은 AI데이터센터가 "대한민국 AI의 핵심거점"이라며'
    >>> s, e = balanced(t, 0, t.index('"이라며')); t[s:e]
    '대한민국 AI의 핵심거점'
    >>> t = "간혹 실용정부(實用政府)라"
    >>> s, e = balanced(t, 0, t.index("府")); t[s:e]
    '간혹 실용정부'
    >>> t = "88.5페타플롭스(PFLOPS)의"
    >>> s, e = balanced(t, 0, t.index(")")); t[s:e]
    '88.5페타플롭스'
    >>> t = "단백질 (NH2CHRnCOOH)n 이다"
    >>> s, e = balanced(t, 5, 18); t[s:e]
    '(NH2CHRnCOOH)n'
    >>> balanced('그는 "좋다"고 했다', 3, 7)
    (3, 7)
    """
    span = text[start:end]
    if span.count('"') % 2:
        k = start + span.index('"')
        if text.count('"', 0, k) % 2 == 0:   # an opening mark: the quote goes on after the span
            start = k + 1
        else:
            end = k
    for open_, close in _PAIRS:
        span = text[start:end]
        o, c = span.rfind(open_), span.find(close)
        if o >= 0 and close not in span[o:]:
            start = start + o + 1
        elif c >= 0 and open_ not in span[:c]:
            end = start + c
    for open_, close in _BRACKETS:
        span = text[start:end]
        o, c = span.find(open_), span.rfind(close)
        if o >= 0 and close not in span[o:]:
            end = start + o
        elif c >= 0 and open_ not in span[:c]:
            # an opening bracket right before the span began the answer and was only trimmed off as
            # an edge: give it back
            start = start - 1 if start > 0 and text[start - 1] == open_ else start + c + 1
    return start, end


def starts_mid_word(text: str, start: int) -> bool:
    """Does a span at `start` begin inside a Hangul word? No answer does (1 of 3,316 dev-a golds,
    "정부는[경장사업]"); the model's sub-word pieces do ("티맥스[소프트]").

    >>> starts_mid_word("티맥스소프트는", 3), starts_mid_word("NHN은 2100억원", 5)
    (True, False)
    """
    return 0 < start < len(text) and _hangul(text[start - 1]) and _hangul(text[start])


def cut_before_stem(text: str, end: int) -> bool:
    """Does a span ending at `end` leave a verb or adjective stem glued to its last syllable? No
    dev-a gold does (of 3,316; their words end before a particle, copula or suffix); Kiwi now and
    then reads a sentence-initial name so ("티맥스소프트는" -> 티맥스소프 + 트다 + 는), and the
    span "티맥스소프" is no answer.

    >>> t = "그는 밥먹고 잤다"
    >>> cut_before_stem(t, 4), cut_before_stem(t, 1)
    (True, False)
    """
    if not (0 < end < len(text) and _hangul(text[end - 1]) and _hangul(text[end])):
        return False
    nxt = next((m for m in morphemes(text) if m.start >= end), None)
    return nxt is not None and nxt.start == end and nxt.tag.startswith(("VV", "VA"))


# What may follow an object inside an answer: a predicate (verb, adjective, their suffixes and
# endings) or a particle of a larger phrase; bare nouns and numbers may not (dangling_object).
_PREDICATE = ("V", "XSV", "XSA", "E", "J")


def dangling_object(text: str, start: int, end: int) -> bool:
    """Does text[start:end] hold an object (a word ending in 을/를) followed, to its end, by a bare
    noun phrase of two or more words or by a number, with no predicate for the object? That is two
    phrases, not one answer: "광주 AI기술센터를 작년 3월" (설립했다 takes both). No gold of
    KorQuAD dev-a (3,316) or Korean TyDi train (1,625) has that shape; one-word verbal nouns
    after an object are predicates in headline style ("제주대학교를 졸업") and stay.

    >>> t = "광주 AI기술센터를 작년 3월 설립했다."
    >>> dangling_object(t, 0, t.index(" 설립")), dangling_object(t, 0, t.index("다."))
    (True, False)
    >>> dangling_object("제주대학교를 졸업했다", 0, 9)
    False
    """
    span = text[start:end]
    if "을 " not in span and "를 " not in span:
        return False   # most spans: no object inside, no need to look at morphemes
    inside = _inside(text, start, end)
    for i, m in enumerate(inside):
        if m.tag != "JKO" or text[m.end:m.end + 1] != " ":
            continue
        rest = inside[i + 1:]
        if rest and not any(r.tag.startswith(_PREDICATE) for r in rest) and \
                (" " in text[rest[0].start:end] or any(r.tag in ("SN", "NR") for r in rest)):
            return True
    return False


def purpose_then_noun(text: str, start: int, end: int) -> bool:
    """Does text[start:end] hold a purpose clause (…위해) followed, to its end, by a bare noun phrase? That
    is the purpose and what was done for it, two answers: "인프라를 활용하기 위해 광주 AI기술센터" answers
    neither "왜?" nor "뭘 세웠어?". (Two dev-a + TyDi-train golds go on past 위해, both to a predicate:
    "생명을 유지하기 위해 일어나는 화학 반응".)

    >>> t = "인프라를 활용하기 위해 광주 AI기술센터를 세웠다"
    >>> purpose_then_noun(t, 0, t.index("를 세")), purpose_then_noun(t, 0, t.index(" 광주"))
    (True, False)
    """
    if "위" not in text[start:end]:
        return False   # most spans: no 위하 inside, no need to look at morphemes
    inside = _inside(text, start, end)
    ends = [i for i in range(len(inside) - 1) if (inside[i].form, inside[i].tag) == ("위하", "VV")
            and inside[i + 1].tag == "EC"]           # 위해, 위하여, 위해서; not the noun 위해 (harm)
    if not ends:
        return False
    tail = inside[ends[-1] + 2:]
    return any(m.tag.startswith("NN") for m in tail) and \
        not any(m.tag.startswith(("V", "E", "XSV", "XSA")) for m in tail)


def _inside(text: str, start: int, end: int) -> list:
    """Kiwi's morphemes of `text` (cached) that lie wholly within [start, end)."""
    return [m for m in morphemes(text) if m.start >= start and m.end <= end]


def _hangul(ch: str) -> bool:
    return "가" <= ch <= "힣"

"""Question analysis: what kind of answer is asked for, and about what.

    analyze("NHN 투자액은?")          -> QuestionInfo(answer_type='money', ...)
    analyze("매년 몇 명을 뽑아?")      -> QuestionInfo(answer_type='count', counter='명', ...)
    analyze("How many students?")     -> QuestionInfo(answer_type='count', counter='명', ...)

The type comes from the question word (얼마, 몇 + counter, 언제, 누구, 어디,
무엇 ...) or, for keyword questions, from the last cue noun (투자액 -> money,
기간 -> period). A follow-up without any cue inherits its previous turn's type.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..korean import Morpheme, content_tokens, is_latin_text, morphemes
from ..asked_kind import kind_asked_of
from .naming import naming_words
from .question_en import english_type
from .spacing import spaced_question_words
from .thesaurus import synonyms

TYPES = ("money", "count", "date", "period", "person", "organization", "place", "quantity", "list",
         "item", "description", "reason", "unknown")

# People named by their role or kin ("우승한 선수는?" asks for a person).
_ROLES = ("선수", "감독", "작가", "가수", "배우", "만화가", "화가", "작곡가", "소설가", "시인", "정치인", "일본인",
          "한국인", "미국인", "외국인", "후작", "백작", "남작", "공작", "황제", "국왕", "장군", "의원", "총리",
          "후보자", "학자", "기자", "아들", "딸", "아버지", "어머니", "아내", "남편", "부인", "할아버지", "할머니")

# Cue nouns, checked as suffixes of the question's nouns; the last match wins.
_CUES: list[tuple[str, str]] = [
    ("고용규모", "count"), ("고용", "count"), ("인력", "count"),
    ("투자액", "money"), ("금액", "money"), ("총액", "money"), ("액수", "money"), ("예산", "money"), ("사업비", "money"),
    ("비용", "money"), ("투자유치", "money"), ("지원금", "money"), ("매출", "money"), ("돈", "money"),
    ("집행액", "money"), ("지원액", "money"), ("출자액", "money"), ("매출액", "money"), ("거래액", "money"),
    # (not 상금: 보상금 ends so; not 가격: typed money, the rules answered dev-a's "회원권 가격은?" alone, wrongly)
    ("보조금", "money"), ("자본금", "money"), ("투자금", "money"),
    ("기간", "period"), ("동안", "period"),
    ("연도", "date"), ("년도", "date"), ("시기", "date"), ("날짜", "date"), ("일정", "date"), ("설립일", "date"),
    ("시점", "date"), ("때", "date"),
    ("장소", "place"), ("위치", "place"), ("지역", "place"), ("부지", "place"), ("도시", "place"),
    ("이름", "item"), ("명칭", "item"), ("약칭", "item"), ("인물", "person"), ("장관", "person"), ("대통령", "person"), ("대표", "person"),
    ("창업자", "person"), ("사람", "person"),
    ("회사", "organization"), ("기업", "organization"), ("기관", "organization"), ("업체", "organization"),
    ("사업자", "organization"), ("운영사", "organization"), ("학교", "organization"), ("연구소", "organization"),
    ("성능", "quantity"), ("연면적", "quantity"), ("면적", "quantity"), ("용량", "quantity"),
    ("속도", "quantity"), ("규모", "quantity"), ("비교", "quantity"), ("넓이", "quantity"), ("무게", "quantity"),
    ("길이", "quantity"), ("거리", "quantity"), ("전력", "quantity"),
    ("분야", "list"), ("과제", "item"), ("종류", "list"), ("목록", "list"), ("산업", "list"),
    ("수", "count"), ("인원", "count"), ("명수", "count"), ("개수", "count"),
    ("목적", "reason"), ("이유", "reason"), ("까닭", "reason"), ("취지", "reason"),
    ("일자", "date"), ("연월일", "date"), ("나이", "count"), ("관객수", "count"), ("갯수", "count"),
    ("횟수", "count"), ("건수", "count"), ("인구", "count"), ("관중", "count"),
    *((role, "person") for role in _ROLES),
]
# Nouns that, as the noun of 어느/어떤 only, ask for a body: a ministry, whom one belongs to.
_BODY_NOUNS = frozenset({"부처", "소속"})
# Cue nouns that only name the form of the answer (비용, 기간, 나이 ...): a document may
# give the answer without the word. Roles and kinds of money name what is asked
# about, so a document that never says 아내 or 매출 does not answer "...의 아내는?"
# or "...의 매출은?".
CUE_WORDS = frozenset(cue for cue, _ in _CUES) - frozenset(_ROLES) - {"매출", "예산", "지원금", "투자유치", "집행액",
                                                                       "지원액", "출자액", "매출액", "거래액", "보조금",
                                                                       "자본금"}

# Cue nouns of a quantity question -> the unit family its answer is written in.
UNIT_FAMILIES = {"area": r"㎡|㎢|평|제곱미터|제곱킬로미터|[mk]m2|[mk]m²|헥타르|에이커", "compute": r"플롭스|FLOPS|flops",
                 "ratio": r"배", "data": r"바이트|[KMGTP]B\b", "power": r"와트|[kMG]?W\b",
                 "weight": r"kg|톤|그램", "length": r"km(?![2²])|미터|킬로미터|\dm\b"}
_FAMILY_OF = {"연면적": "area", "면적": "area", "넓이": "area", "부지": "area", "성능": "compute", "연산": "compute",
              "비교": "ratio", "속도": "ratio", "용량": "data", "전력": "power", "무게": "weight",
              "길이": "length", "거리": "length"}

# Nouns that fix the counter of a count question ("직원 수" -> 명).
_COUNTERS = {"명": ("학생", "교원", "교수", "직원", "인원", "사람", "인재", "고용", "명", "인력", "교수진"),
             "개": ("기업", "연구소", "대학", "과제", "일자리", "개", "분야", "기관", "회사"),
             "동": ("동", "건물"), "편": ("영화", "편"), "배": ("배",), "곳": ("곳",), "살": ("나이",),
             "건": ("건수",), "번": ("횟수",)}
_WH = {"며칠": "date", "얼마": "money", "언제": "date", "누구": "person", "누가": "person", "어디": "place",
       "누구누구": "person", "어디어디": "place",
       "무엇": "description", "뭐": "description", "무슨": "item", "어떤": "description", "어느": "item",
       "왜": "reason"}


@dataclass(frozen=True)
class QuestionInfo:
    """The analysed question: expected answer type, counter, and search terms."""

    text: str
    answer_type: str
    counter: str | None
    terms: frozenset[str]          # content terms (lower-case morphemes and quantities)
    nouns: frozenset[str]          # noun words as written, attached nouns joined (투자액)
    entities: frozenset[str]       # names (Latin-script words, proper nouns) the answer must be about
    english: bool = False
    has_cue: bool = True           # False when the type is a guess (follow-ups may inherit)
    plural: bool = False           # asks for several things (기업들, 누구누구, 두 가지, which two)


def analyze(question: str, previous: str | None = None, type_from: str | None = None) -> QuestionInfo:
    """Analyse `question`; `previous` (a resolved earlier turn) lends its type if none is found.

    `type_from` is the text the type is read from (a follow-up as the user
    typed it, since carried-over words would add stale cues).
    """
    english = is_latin_text(question)
    type_text = spaced_question_words(type_from or question)
    spaced = spaced_question_words(question)
    qtype, counter = (english_type(type_text) if english else _korean_type(morphemes(type_text)))
    kind = None if english else kind_asked_of(type_text)
    if kind:
        qtype, counter = "description", None   # a kind ("자율주행 라이다 센서 스타트업"), not a company's name
    has_cue = qtype != "unknown"
    if not has_cue and previous:
        prev = analyze(previous)
        qtype, counter = prev.answer_type, prev.counter
    morphs = morphemes(spaced)
    entities = frozenset(m.form.lower() for m in morphs if m.tag in ("SL", "NNP") and len(m.form) >= 2)
    nouns = frozenset(w.lower() for w in _noun_words(morphs)) - _STOP
    # "GIST 한국어 정식 명칭은?": the words that say which name is asked are no words to find, nor the
    # noun of a kind asked ("SoS Lab은 어떤 회사야?": the text may say 스타트업)
    terms = frozenset(content_tokens(spaced)) - _STOP - naming_words(type_text) - ({kind[1]} if kind else frozenset())
    return QuestionInfo(question, qtype, counter, terms, nouns, entities,
                        english, has_cue, _asks_plural(type_text, english))


_OTHER_WH = frozenset({"몇", "얼마나"})   # question words typed outside _WH (몇 + counter; 얼마나 by its verb)
_EN_WH = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", re.IGNORECASE)


def has_question_word(question: str) -> bool:
    """Does the question hold a question word (몇, 뭐, 누구, 어디, 언제, 얼마, 왜 ...), not just a cue noun?

    >>> has_question_word("과제는 몇 개야?"), has_question_word("그 슈퍼컴 이름은 뭔데?")
    (True, True)
    >>> has_question_word("에너지 분야는?"), has_question_word("What is its name?")
    (False, True)
    """
    if is_latin_text(question):
        return bool(_EN_WH.search(question))
    return any(m.form in _WH or m.form in _OTHER_WH for m in morphemes(question))


_PLURAL_WORD = re.compile(r"[가-힣]들(?:은|는|이|을|과|와|이야|인가|이었어|였어)?\??$")
_PLURAL_KO = re.compile(r"누구누구|어디어디|무엇무엇|뭐뭐|뭘뭘|(?:두|세|네) ?가지|둘")
_WH_DETERMINERS = ("어떤", "어느", "무슨")
_PLURAL_EN = re.compile(r"\b(which|what) (two|three|four)\b|\bboth\b|\bthe (two|three|four)\b")


def _asks_plural(question: str, english: bool) -> bool:
    """Does the question ask for more than one thing?

    A plural noun counts when it is what the question ends on ("기업들은?") or
    what its question word picks ("어떤 곳들과 ..."), not when it is the
    subject of the question ("AI인재들이 광주를 어떤 도시로 ...?").

    >>> _asks_plural("언급된 기업들은?", False), _asks_plural("NHN 투자액은?", False)
    (True, False)
    >>> _asks_plural("청년들이 광주를 어떤 도시로 만들까?", False)
    False
    """
    if english:
        return bool(_PLURAL_EN.search(question.lower()))
    if _PLURAL_KO.search(question):
        return True
    words = question.split()
    return any(_PLURAL_WORD.search(w) and (k == len(words) - 1 or (k > 0 and words[k - 1] in _WH_DETERMINERS))
               for k, w in enumerate(words))


_STOP = frozenset({"몇", "무엇", "뭐", "누구", "어디", "언제", "얼마", "어떻", "하", "되", "있", "what", "how",
                   "much", "many", "the", "is", "are", "was", "will", "does", "did", "of", "in", "to", "a",
                   "an", "for", "and", "which", "who", "when", "where", "do", "it", "its", "be"})


def _korean_type(morphs: list[Morpheme]) -> tuple[str, str | None]:
    """Question word first (몇 + counter, 얼마, 언제 ...), then the last cue noun."""
    forms = [m.form for m in morphs]
    for i, m in enumerate(morphs):
        if m.form == "몇" and i + 1 < len(morphs):
            return _how_many(morphs, i)
        if m.form == "얼마":
            nxt = morphs[i + 1] if i + 1 < len(morphs) else None
            if nxt is not None and (nxt.form == "동안" or (nxt.form, nxt.tag) == ("만", "NNB")):
                return "period", None   # "얼마 동안 ...?", "얼마 만에 ...?": how long (dev-a: 45년, 3개월)
            cue = _last_cue(morphs[:i])
            if cue[0] == "quantity" and cue[1] in UNIT_FAMILIES:
                return cue   # "연면적이 얼마예요?": the measure its noun names (㎡), no sum of money
            return ("quantity" if _near(forms, i, ("면적", "성능", "빠르", "크", "넓")) else "money"), None
        if m.form == "얼마나":   # "얼마나 받았어" (money), "얼마나 걸려" (period), "얼마나 빨라" (quantity)
            if _near(forms, i, ("투자", "돈", "받", "비용", "예산", "금액", "들")):
                return "money", None
            if _near(forms, i, ("걸리", "걸", "기간", "동안")):
                return "period", None
            cue = _last_cue(morphs[:i])   # "전력은 얼마나 먹어?": the measure its noun names (watts)
            return ("quantity", cue[1]) if cue[0] == "quantity" and cue[1] in UNIT_FAMILIES else ("quantity", None)
    for i, m in enumerate(morphs):
        if m.form == "어느" and forms[i + 1:i + 2] == ["정도"]:   # "어느 정도야?": an amount of something
            cue = _last_cue(morphs[:i])
            return ("quantity", cue[1]) if cue[0] == "quantity" else ("quantity", None)
        if m.form in _WH:
            qtype = _WH[m.form]
            if m.form == "언제" and forms.count("언제") >= 2:
                return "period", None   # "언제부터 언제까지 ...?": both bounds, a span of time (dev-a: "…부터 … 까지")
            if m.form == "며칠":
                return "date", "일"
            if qtype == "description" and "위하" in forms[i + 1:i + 4]:
                return "reason", None   # "무엇을 위해 ...?" asks for a purpose
            if qtype in ("item", "description"):
                # Only the question word's own noun says more: its head ("어떤 기업")
                # or, as a predicate ("사업자는 뭐야?"), its subject. "대통령은 ...
                # 무엇이라고 했어?" asks for a thing, whatever 대통령 suggests.
                head = _wh_noun(morphs, i)
                cue = _last_cue(head)
                qtype = cue[0] if cue[0] != "unknown" else qtype
                if cue[0] == "unknown" and _BODY_NOUNS & set(_noun_words(head)):
                    qtype = "organization"   # "어느 부처 소속이에요?"; no cue elsewhere: "GIST 소속 교수는 누구야?"
            if qtype in ("place", "person"):
                # "민간사업자는 어디야?", "어느 회사가 ...": the cue noun names an organization
                cue = _last_cue(morphs)
                if cue[0] == "organization":
                    qtype = "organization"
            return qtype, None
    return _last_cue(_asked_phrase(morphs))


def _asked_phrase(morphs: list[Morpheme]) -> list[Morpheme]:
    """The morphemes whose cue nouns type a question without a question word.

    After a relative clause only the final noun phrase counts: in "제정에
    속도를 내겠다고 한 법은?" the 속도 of the clause is no measure asked for.
    """
    end = len(morphs)
    while end > 0 and (morphs[end - 1].tag.startswith(("J", "S")) or morphs[end - 1].tag in ("VCP", "EF")):
        end -= 1
    start = _noun_phrase_start(morphs, end)
    if start == end or start == 0 or morphs[start - 1].tag not in ("ETM", "JKG"):
        return morphs
    if morphs[start - 1].tag == "JKG" and _noun_words(morphs[start:end]) in (["이름"], ["명칭"]):
        # "…골을 넣을 때의 상대팀은?" asks for the 상대팀, not a time; but "장관의 이름은?" is
        # typed by the noun before 의 (a name of what)
        return morphs[_noun_phrase_start(morphs, start - 1):end]
    return morphs[start:end]


def _noun_phrase_start(morphs: list[Morpheme], end: int) -> int:
    """Where the run of nouns (and suffixes, Latin letters, digits) ending at `end` starts."""
    start = end
    while start > 0 and (morphs[start - 1].tag.startswith("NN") or morphs[start - 1].tag in ("XSN", "SL", "SN")):
        start -= 1
    return start


def _wh_noun(morphs: list[Morpheme], i: int) -> list[Morpheme]:
    """The noun the question word at i stands with: its head after it, or its subject when it is the predicate."""
    j = i + 1
    while j < len(morphs) and morphs[j].tag == "ETM":
        j += 1
    if j < len(morphs) and morphs[j].tag.startswith("NN") and morphs[j].tag != "NNB":
        k = j
        while k + 1 < len(morphs) and morphs[k + 1].tag.startswith("NN") and morphs[k + 1].start == morphs[k].end:
            k += 1
        return morphs[j:k + 1]
    predicate = j >= len(morphs) or morphs[j].tag in ("VCP", "SF") or morphs[j].tag.startswith("E")
    if predicate and i >= 2 and morphs[i - 1].tag in ("JX", "JKS"):
        end = i - 1
        # "지역대표산업 세 가지가 뭐야?": the thing counted is the subject, not 가지
        if morphs[end - 1].form in ("가지", "개", "종", "종류") and end >= 3 and morphs[end - 2].tag in ("NR", "MM", "SN"):
            end -= 2
        k = end - 1
        while k > 0 and morphs[k - 1].tag.startswith("NN") and morphs[k - 1].end == morphs[k].start:
            k -= 1
        k = max(k, 0)
        if [m.form for m in morphs[k:end]] in (["이름"], ["명칭"]):
            # "장관 이름이 뭐야?", "인물의 이름은 무엇인가?": a name of what, as "장관 이름은?" is typed
            p = k - 2 if k >= 2 and morphs[k - 1].tag == "JKG" else k - 1   # the noun, over a 의
            if p >= 0 and morphs[p].tag.startswith("NN"):
                k = p
                while k > 0 and morphs[k - 1].tag.startswith("NN") and morphs[k - 1].end == morphs[k].start:
                    k -= 1
        return morphs[k:end]
    return []


def _how_many(morphs: list[Morpheme], i: int) -> tuple[str, str | None]:
    unit = morphs[i + 1].form
    after = "".join(m.form for m in morphs[i + 2:i + 4])
    if unit == "년":
        later = "".join(m.form for m in morphs[i + 2:i + 6])
        if after.startswith(("간", "동안")) or "걸치" in later or "만" in after[:1] or \
                any(m.form == "기간" for m in morphs[:i]):
            # a number of years ("10년"), not a span of dates ("2020~2024년"); "기간은 몇 년?" too
            return "period", "년"
        return "date", "년"     # "몇 년에?" asks for a year: "2006년", not "2006년 10월"
    if unit in ("년도", "연도"):
        return "date", "년"
    if unit in ("월", "일"):
        return "date", unit     # the unit the date must name ("몇 월" -> 3월)
    if unit == "배":
        return "quantity", "ratio"   # the unit family: "3배", not 88.5페타플롭스
    return "count", unit


def _last_cue(morphs: list[Morpheme]) -> tuple[str, str | None]:
    nouns = _noun_words(morphs)
    found: tuple[str, str | None] = ("unknown", None)
    counted_at = -1   # the noun that last typed the question a count
    for k, word in enumerate(nouns):
        if len(word) > 2 and word.endswith("들"):
            word = word[:-1]   # "기업들" is a cue as "기업" is
        if word in ("해", "날"):   # "선정된 해는?": exact words only (이해, 피해 are no cues)
            found = ("date", "년" if word == "해" else "일")
            continue
        if word.endswith(("연도", "년도")):   # "설립 연도는?" asks for a year
            found = ("date", "년")
            continue
        if word in ("것", "거", "건"):
            found = ("unknown", None)   # "대통령이 선언한 것은?" asks for a thing: earlier nouns are its context
            continue
        if word in ("곳", "데"):   # "대표적인 곳은?", "이름 나온 데는?": an institution (or a place), named
            found = ("organization", None)
            continue
        if word == "이름" and found[0] != "unknown":
            continue   # "장관 이름" asks for a person, "기업 이름" for an organization
        if word == "규모" and k > 0 and any(w in nouns[k - 1] for w in ("투자", "지원", "사업", "예산", "자금", "매출")):
            found = ("money", None)   # "지원 규모" is an amount of money; "연면적 규모" a size
            continue
        if word == "규모" and found[0] == "count" and counted_at == k - 1:
            continue   # "인력 규모는?": how many people, as "인력은?" asks
        for cue, qtype in _CUES:
            # a synonym lends only a measure's cue ("계산 능력" ~ 연산성능: compute)
            spellings = (word, *synonyms(word)) if qtype == "quantity" else (word,)
            if any(w.endswith(cue) for w in spellings) and \
                    (cue != "수" or len(word) == 1 or word.endswith(("명수", "개수"))):
                counter = _counter_for(nouns[:k + 1]) if qtype == "count" else None
                if qtype == "quantity":
                    counter = _FAMILY_OF.get(cue)   # the unit family ("연면적" -> area: ㎡)
                found = (qtype, counter)
                counted_at = k if qtype == "count" else counted_at
                break
    return found


def _noun_words(morphs: list[Morpheme]) -> list[str]:
    """Nouns, with attached noun morphemes joined ("투자"+"액" -> "투자액")."""
    words: list[str] = []
    prev_end = -2
    for m in morphs:
        if m.tag.startswith("NN") or m.tag in ("XSN", "SL", "NP"):
            if m.start == prev_end and words and m.tag != "SL":
                words[-1] += m.form
            else:
                words.append(m.form)
            prev_end = m.end
        else:
            prev_end = -2
    return words


def _counter_for(words: list[str]) -> str | None:
    for w in reversed(words):
        for counter, nouns in _COUNTERS.items():
            if any(w.endswith(n) for n in nouns):
                return counter
    return None


def _near(forms: list[str], i: int, words: tuple[str, ...], window: int = 4) -> bool:
    lo, hi = max(0, i - window), i + window + 1
    return any(f.startswith(words) for f in forms[lo:hi])

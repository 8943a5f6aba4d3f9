"""Conversations and follow-up resolution.

An elliptical follow-up borrows the topic of the previous turns:

    "NHN 투자액은?" -> "기간은?"          resolved: "NHN 투자액 기간은?"
    "데이터센터는 어디에 들어서?" (첨단3지구) -> "거기 짓는 데이터센터 연면적은?"
                                         resolved: "첨단3지구 짓는 데이터센터 연면적은?"
    "자동차 분야 과제는?" -> "에너지 분야는?"  resolved: "에너지 분야 과제는?"
    "자동차 분야 과제는 몇 개야?" -> "헬스케어는?" resolved: "헬스케어 분야 과제는 몇 개야?"
        (the documents list 자동차·에너지·헬스케어, so 헬스케어 takes 자동차's place; qa.listing)

A question naming its own entity ("티맥스소프트는 언제 설립됐어?") starts a
new topic and is left as it is.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Callable

from .asked_kind import kind_asked_of
from .followup_words import CUE_WORDS, TERM_TAGS, has_marker, particle_after, strip_markers, terms, with_particle
from .korean import is_latin_text, morphemes
from .listing import Listed
from .repeated_ask import asks_again, has_cue, listed_items, substitute, with_ask
from .spelling import latinize
from .types import Answer

# Words that point back: an earlier answer of the kind they point to replaces them (_replace_pointers).
_POINTERS = ("거기", "그곳", "그 곳", "그때", "그 때", "그 회사", "그 기업", "그 사람", "그 학교", "그 기관",
             "그 단지", "그 센터", "그 대학원")
# What each pointer can point to: the answer types of the turns whose answer may stand in for it
# ("거기" after "사업비는 얼마야?" -> 3939억원 is no place: the answer before that, or none).
_PLACE_OR_BODY = ("place", "organization")
_POINTED_TYPES = {"그때": ("date",), "그 때": ("date",), "그 사람": ("person",)}
# "그가 ...", "그는 ...": a pronoun for the person the conversation last named.
_PERSON_PRONOUN = re.compile(r"(?<![가-힣])그(가|는|의|를|에게|도|와|한테)(?=\s)")
# "앞에 거는", "두 번째 거", "후자는": an item of the answer before ("SoS Lab과 티맥스소프트"), by its index
_THING = r"(?:\s?(?:거|것|꺼|게|건))"
_ORDINAL = re.compile(rf"(?<![가-힣A-Za-z0-9])(?:(앞에{_THING}|앞엣것|앞의\s?것|첫\s?번째{_THING})|(두\s?번째{_THING})|"
                      rf"(뒤에{_THING}|뒤엣것|뒤의\s?것|마지막{_THING})|(전자|후자)(?=은|는|이|가|을|를|의|도))"
                      rf"(은|는|이|가|을|를|의|도)?(?![가-힣])")
# a thing said with its particle glued on ("앞에 건" = 앞에 거 + 는)
_GLUED = {"건": "는", "게": "가"}
_EN_WORD = re.compile(r"[A-Za-z][\w'+-]*")   # an English word ("full-time", "AI+X" kept whole)
_ENTITY_TAGS = {"NNP", "SL", "SH"}
MAX_TURNS = 20


@dataclass(frozen=True)
class Resolved:
    """A question made self-contained, with the previous turn for type hints."""

    text: str
    original: str
    previous: str | None = None       # the nearest earlier resolved question that says what it asks
                                      # for (a type cue of its own), when this is a follow-up
    topic: str | None = None          # the self-contained question the follow-up builds on
    carried: tuple[str, ...] = ()     # words borrowed from the topic (they weigh less than the user's own)
    repeats_ask: bool = False         # a bare "X는?": it asks what `previous` asked for, of X

    @property
    def is_followup(self) -> bool:
        return self.previous is not None


@dataclass
class Turn:
    question: str
    resolved: str
    answer: str | None
    topic: str = ""        # the self-contained question this turn's topic comes from
    typed: str = ""        # the resolved question this turn's answer type comes from


@dataclass
class Conversation:
    """The turns of one chat. Not shared between users; cheap to create."""

    turns: list[Turn] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, answer: Answer, resolved: Resolved | None = None) -> None:
        with self._lock:
            text = resolved.text if resolved else answer.resolved_question
            topic = resolved.topic if resolved and resolved.topic else text
            self.turns.append(Turn(answer.question, text, answer.text, topic, _typed(resolved, text)))
            del self.turns[:-MAX_TURNS]

    def reset(self) -> None:
        with self._lock:
            self.turns.clear()

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    @classmethod
    def from_history(cls, history: list[dict], listed: Listed | None = None,
                     respell: Callable[[str], str] = latinize) -> "Conversation":
        """Rebuild from `[{"question": str, "answer": str|None}, ...]` (the REST API's history).

        Earlier questions are re-resolved in order so follow-ups chain (`listed` as for resolve_followup;
        `respell`: how the pipeline writes a question's Latin names, Pipeline.respelled).
        """
        conv = cls()
        for item in history[-MAX_TURNS:]:
            q = str(item.get("question") or "").strip()
            if not q:
                continue
            res = resolve_followup(respell(q), conv, listed)   # as Pipeline.ask resolved it
            conv.turns.append(Turn(q, res.text, item.get("answer"), res.topic or res.text, _typed(res, res.text)))
        return conv


def _typed(resolved: Resolved | None, text: str) -> str:
    """The question a turn's answer type comes from: its own, unless it is a follow-up without a
    type cue ("헬스케어는?"), which asks what the turn it follows asked for ("몇 개야?")."""
    if resolved is None or not resolved.is_followup:
        return text
    from .reader.question import analyze   # here: the reader package imports this module at load time
    from .reader.rule_reader import question_info
    own = analyze(resolved.original)
    # "자동차 분야는?" after "에너지 분야 과제는 몇 개야?" has a cue (분야) but asks the count, as the
    # reader reads it (question_info): its type is the earlier turn's
    return text if own.has_cue and question_info(resolved).answer_type == own.answer_type else resolved.previous


def resolve_followup(question: str, conversation: Conversation | None, listed: Listed | None = None) -> Resolved:
    """Make `question` self-contained using the conversation's last turn.

    `listed(a, b)`: do the documents list the words a and b as items of one list
    (qa.listing.listed_together)? A follow-up naming an item listed with one of the topic's
    words asks about it instead ("자동차 분야 과제는 몇 개야?" -> "헬스케어는?"); None: no such swap.
    """
    last = conversation.last if conversation else None
    if last is None or not is_elliptical(question):
        return Resolved(question, question)
    text = strip_markers(question)
    text, ordinal = _replace_ordinal(text, conversation.turns)
    if ordinal:
        # "앞에 거는 누가 만든 회사임?": about the item found, not about the words that found the list;
        # a bare "후자는?" asks the question before again, of it
        typed = last.typed or last.resolved
        again = asks_again(text) and not has_cue(text)
        return Resolved(with_ask(text, typed) if again else text, question, previous=typed, topic=text,
                        repeats_ask=again)
    text, pointed = _replace_pointers(text, conversation)
    text, person = _replace_person_pronoun(text, conversation)
    # The name standing in for "그" is borrowed: it weighs as little as carried words.
    borrowed = (person,) if person else ()
    # Carry the topic (the last self-contained question), not every earlier
    # follow-up's words, so a 4-turn dialogue does not drift.
    topic = last.topic or last.resolved
    typed = last.typed or last.resolved
    if asks_again(text) and (sub := substitute(last.resolved, text, listed) or
                             (substitute(topic, text, listed) if topic != last.resolved else None)):
        # "에너지 분야 과제는 몇 개야?" -> "헬스케어는?": the same question with 헬스케어 for 에너지; the
        # question just before is the one asked again ("대표적인 과제는?" -> "헬스케어 쪽은?": its example)
        resolved, item = sub
        carried = tuple(f for f, _ in terms(resolved) if f not in item) + borrowed
        return Resolved(resolved, question, previous=typed, topic=resolved, carried=carried, repeats_ask=True)
    swapped = _swap_modifier(text, last)
    if swapped:
        # "그중 헬스케어 과제는 몇 개?" -> "자동차는?": the same question about 자동차
        resolved, carried = swapped
        again = asks_again(text) and not has_cue(text)
        return Resolved(with_ask(resolved, typed) if again else resolved, question, previous=typed, topic=topic,
                        carried=tuple(carried) + borrowed, repeats_ask=again)
    switched = False
    if named := _answered_name(topic, conversation):
        # "AI 민주화를 선언한 사람은?" (문재인) -> "어떤 방식으로 메시지를 전했어?":
        # the follow-up is about the person found, not about the words that found him.
        carried = [named] if named not in text else []
    else:
        swapped_items = listed_items(topic, text, listed)
        carried = _carried_terms(topic, text, swapped_items)
        switched = bool(swapped_items)
    resolved = " ".join(carried + [text]) if carried else text
    again = not pointed and asks_again(text) and not has_cue(text)
    if again:
        resolved = with_ask(resolved, typed)
    # "거기 짓는 데이터센터 연면적은?" becomes self-contained once 거기 is replaced, and
    # "헬스케어는 몇 개야?" once 헬스케어 has replaced 자동차: the topic the next follow-up builds on.
    return Resolved(resolved, question, previous=typed, topic=resolved if pointed or switched else topic,
                    carried=tuple(carried) + borrowed, repeats_ask=again)


def _swap_modifier(text: str, last: Turn) -> tuple[str, list[str]] | None:
    """A bare "X는?" after a follow-up that added its own word Y: ask the previous question with X for Y.

    ("그중 헬스케어 과제는 몇 개?" resolved "AI 융합 헬스케어 과제는 몇 개?", "자동차는?")
      -> ("AI 융합 과제 자동차는?", ["AI", "융합", "과제"])
    """
    if last.topic == last.resolved:
        return None   # the previous turn was self-contained: normal topic carry
    own = [f for f, _ in terms(text)]
    added = [f for f, _ in terms(strip_markers(last.question)) if f not in last.topic]
    if len(own) != 1 or len(added) != 1 or own[0] in last.resolved or added[0] not in last.resolved:
        return None
    carried = [f for f, _ in terms(last.resolved) if f != added[0]]
    return " ".join(carried + [text]), carried


def is_elliptical(question: str) -> bool:
    """Short questions without their own entity, or ones that point back.

    >>> is_elliptical("기간은?"), is_elliptical("NHN 투자액은?"), is_elliptical("그럼 겸무교수는?")
    (True, False, True)
    """
    q = question.strip()
    if is_latin_text(q):
        # "Over how many years?": short, and no name of its own (capitalized past the first word)
        words = _EN_WORD.findall(q)
        return len(words) <= 5 and not any(w[0].isupper() for w in words[1:])
    if any(p in q for p in _POINTERS) or q.startswith(("그중", "그 중")) or _ORDINAL.search(q):
        return True   # (an ordinal that finds no coordinated answer is then left to the other rules)
    morphs = morphemes(strip_markers(q))
    terms = [m for m in morphs if m.tag in TERM_TAGS]
    # "그럼 SoS Lab 고용규모는?" names its own topic. Kiwi also tags unknown
    # words as NNP (겸무 in 겸무교수), so a short Hangul "name" needs more words.
    named = any(m.tag == "SL" or (m.tag == "NNP" and len(m.form) >= 3) for m in morphs)
    if named and len(terms) >= 2 or any(m.tag in _ENTITY_TAGS for m in morphs) and len(terms) >= 3:
        return False
    return has_marker(q) or len(terms) <= 2


def _asks_for_name(question: str) -> bool:
    """Who/which-organization questions whose own words name nobody ("AI 민주화를 선언한 사람은?")."""
    # Imported here: the reader package imports this module (Resolved) at load time.
    from .reader.candidates import GENERIC_LATIN
    from .reader.question import analyze
    if analyze(question).answer_type not in ("person", "organization"):
        return False
    return not any(m.tag == "NNP" or (m.tag == "SL" and m.form.upper() not in GENERIC_LATIN)
                   for m in morphemes(question))


def _answered_name(topic: str, conversation: Conversation) -> str | None:
    """The answer of the topic turn when that turn asked who (or which body) did something."""
    turn = next((t for t in reversed(conversation.turns) if t.resolved == topic), None)
    if turn is None or not turn.answer or not _asks_for_name(topic):
        return None
    return person_name(turn.answer)


def _replace_person_pronoun(text: str, conversation: Conversation) -> tuple[str, str | None]:
    """"그가 제정을 서두르겠다고 한 법은?" -> "문재인이 ...": the last person answer stands in."""
    if not _PERSON_PRONOUN.search(text):
        return text, None
    from .reader.question import analyze
    for turn in reversed(conversation.turns):
        if turn.answer and analyze(turn.resolved).answer_type == "person":
            name = person_name(turn.answer)
            return _PERSON_PRONOUN.sub(lambda m: name + with_particle(name, m.group(1)), text, count=1), name
    return text, None


def person_name(answer: str) -> str:
    """A name followed by its title stands in as the name alone.

    The title ("대통령") is a common word of many passages: carried into a
    follow-up, it pulls retrieval to whichever passage names the title most.

    >>> person_name("문재인 대통령"), person_name("김기선 GIST 총장"), person_name("문 대통령")
    ('문재인', '김기선', '문 대통령')
    """
    from .reader.candidates import TITLES
    words = answer.split()
    if len(words) >= 2 and re.fullmatch(r"[가-힣]{2,4}", words[0]) and words[-1].endswith(TITLES):
        return words[0]
    return answer


def _replace_ordinal(text: str, turns: list[Turn]) -> tuple[str, bool]:
    """"앞에 거는 누가 만든 회사임?" after the answer "티맥스소프트와 SoS Lab" -> "티맥스소프트는 누가 만든 회사임?":
    the first, second or last item ("뒤에 거", "후자") of the latest coordinated answer stands in.

    >>> _replace_ordinal("앞에 거는 누가 만들었어?", [Turn("어디어디야?", "어디어디야?", "티맥스소프트와 SoS Lab")])
    ('티맥스소프트는 누가 만들었어?', True)
    >>> _replace_ordinal("후자는?", [Turn("얼마야?", "얼마야?", "2,100억원")])
    ('후자는?', False)
    """
    m = _ORDINAL.search(text)
    if m is None:
        return text, False
    items = next((i for t in reversed(turns) if len(i := coordinated_items(t.answer or "")) >= 2), [])
    index = 0 if m.group(1) or m.group(4) == "전자" else 1 if m.group(2) else -1
    if not items or index >= len(items):
        return text, False
    item = items[index]
    particle = m.group(5) or _GLUED.get(m.group(0).rstrip()[-1], "")
    return text[:m.start()] + item + (particle_after(item, particle) if particle else "") + text[m.end():], True


def coordinated_items(answer: str) -> list[str]:
    """The items of an answer that coordinates names or nouns: "A과 B" (Kiwi's conjunctive particle, not
    the 과 of 성과), "A, B", "A·B"; a number's thousands comma cuts nothing.

    >>> coordinated_items("SoS Lab과 티맥스소프트"), coordinated_items("구글, 엔비디아, 인텔")
    (['SoS Lab', '티맥스소프트'], ['구글', '엔비디아', '인텔'])
    >>> coordinated_items("2,100억원"), coordinated_items("연구 성과 확산")
    (['2,100억원'], ['연구 성과 확산'])
    """
    morphs = morphemes(answer)
    cuts = []
    for w in re.finditer(r"(?<!\S)\S+([과와])(?= \S)", answer):
        # Kiwi's JC, or a name it swallowed whole with its particle ("티맥스소프트와": one NNP)
        in_word = [m for m in morphs if w.start() <= m.start < w.end()]
        if any(m.tag == "JC" and m.end == w.end() for m in in_word) or \
                (len(in_word) == 1 and in_word[0].tag == "NNP" and in_word[0].end == w.end()):
            cuts.append((w.start(1), w.end()))
    cuts += [(m.start(), m.end()) for m in re.finditer(r"(?<!\d)\s*(?:,|·|및|그리고)\s*(?!\d)", answer)]
    out, last = [], 0
    for start, end in sorted(cuts):
        out.append(answer[last:start].strip())
        last = end
    out.append(answer[last:].strip())
    return [i for i in out if i]


def _replace_pointers(text: str, conversation: Conversation) -> tuple[str, bool]:
    """Put the answer a pointer word stands for in its place: the latest answer of a question that
    asked for the kind of thing the pointer points to ("거기": a place or a body, "그때": a date,
    "그 사람": a person). When no answer is of that kind the pointer goes (the topic is carried as
    for any follow-up): ("거기 짓는 데이터센터는?" after money asked) -> "짓는 데이터센터는?"."""
    pointer = next((p for p in _POINTERS if p in text), None)
    if pointer is None:
        return text, False
    from .reader.naming import name_asked_of
    from .reader.question import analyze   # here: the reader package imports this module
    kinds = _POINTED_TYPES.get(pointer, _PLACE_OR_BODY)
    for turn in reversed(conversation.turns):
        # another name of a place or body is one too ("GIST의 한글 이름은?" -> 광주과학기술원)
        if turn.answer and (analyze(turn.resolved).answer_type in kinds or
                            kinds is _PLACE_OR_BODY and name_asked_of(turn.resolved)):
            return text.replace(pointer, turn.answer, 1), True
    stripped = re.sub(re.escape(pointer) + r"(?:에서는|에서|에는|에|서|는|도|의)?\s*", "", text, count=1).strip()
    return (stripped or text), False


_EN_FUNCTION = frozenset("how much many what which who whom whose when where why will would is are was were do does "
                         "did the a an of in on at to for by with and or be been it its this that there over "
                         "about can could should".split())


def _carried_terms(previous: str, current: str, swapped: set[str] = frozenset()) -> list[str]:
    """Content words of `previous` that `current` lacks, minus those `current` replaces.

    - a modifier of a shared noun gives way to the new modifier:
      ("자동차 분야 과제는?", "에너지 분야는?") -> ["과제"]
    - so do the words in `swapped` (repeated_ask.listed_items: an item of a list gives way to another):
      ("자동차 분야 과제는 몇 개야?", "헬스케어는?", {"자동차"}) -> ["분야", "과제"]
    - otherwise everything is carried (the reader reads the answer type from
      the last cue word, so "NHN 투자액 기간은?" still asks for a period):
      ("SoS Lab은 누가 창업했어?", "직원 수는?") -> ["SoS Lab", "창업"]
    - but not the noun of a kind asked ("SoS Lab은 어떤 회사야?", "누가 세웠어?") -> ["SoS", "Lab"]
    - a new Latin-script name replaces the old ones ("Kakao" after "NHN").
    """
    if is_latin_text(previous) and is_latin_text(current):
        have = {w.lower() for w in _EN_WORD.findall(current)}
        return [w for w in _EN_WORD.findall(previous)
                if w.lower() not in _EN_FUNCTION and w.lower() not in have]
    prev = terms(previous)
    cur = terms(current)
    cur_forms = [t for t, _ in cur]
    replaced: set[int] = set()
    for i, (form, _) in enumerate(prev):
        if form in cur_forms and i > 0 and cur_forms.index(form) > 0:
            replaced.add(i - 1)
    if any(tag == "SL" for _, tag in cur):
        replaced |= {i for i, (_, tag) in enumerate(prev) if tag == "SL"}
    kind = kind_asked_of(previous)   # "SoS Lab은 어떤 회사야?": 회사 only said what was asked
    out: list[str] = []
    for i, (form, _) in enumerate(prev):
        if form in CUE_WORDS or (kind and form == kind[1]):
            continue   # "수", "얼마": the old question's type words would mislead
        if i not in replaced and form not in cur_forms and form not in out and form not in swapped:
            out.append(form)
    return out

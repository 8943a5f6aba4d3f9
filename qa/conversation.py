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
from .korean import is_latin_text, morphemes
from .listing import Listed
from .spelling import latinize
from .types import Answer

# Words that point back: an earlier answer of the kind they point to replaces them (_replace_pointers).
_POINTERS = ("거기", "그곳", "그 곳", "그때", "그 때", "그 회사", "그 기업", "그 사람", "그 학교", "그 기관",
             "그 단지", "그 센터", "그 대학원")
# What each pointer can point to: the answer types of the turns whose answer may stand in for it
# ("거기" after "사업비는 얼마야?" -> 3939억원 is no place: the answer before that, or none).
_PLACE_OR_BODY = ("place", "organization")
_POINTED_TYPES = {"그때": ("date",), "그 때": ("date",), "그 사람": ("person",)}
_MARKERS = ("그럼", "그러면", "그리고", "그렇다면", "또", "그럼요", "그 밖에", "그중", "그 중", "그 가운데", "and",
            "what about")
# "그가 ...", "그는 ...": a pronoun for the person the conversation last named.
_PERSON_PRONOUN = re.compile(r"(?<![가-힣])그(가|는|의|를|에게|도|와|한테)(?=\s)")
# The particle written after "그" (no final consonant) -> its form after a final consonant.
_AFTER_CONSONANT = {"가": "이", "는": "은", "를": "을", "와": "과"}
_EN_WORD = re.compile(r"[A-Za-z][\w'+-]*")   # an English word ("full-time", "AI+X" kept whole)
_ENTITY_TAGS = {"NNP", "SL", "SH"}
_TERM_TAGS = {"NNG", "NNP", "SL", "SH", "SN", "NR", "XR"}
MAX_TURNS = 20
_CUE_WORDS = frozenset({"수", "얼마", "몇", "기간", "이름", "규모", "언제", "어디", "누구", "무엇", "뭐", "개", "명",
                        "한글", "영문", "정식", "명칭", "약자", "약칭", "풀네임", "본명"})   # naming words too


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
    def from_history(cls, history: list[dict], listed: Listed | None = None) -> "Conversation":
        """Rebuild from `[{"question": str, "answer": str|None}, ...]` (the REST API's history).

        Earlier questions are re-resolved in order so follow-ups chain (`listed` as for resolve_followup).
        """
        conv = cls()
        for item in history[-MAX_TURNS:]:
            q = str(item.get("question") or "").strip()
            if not q:
                continue
            res = resolve_followup(latinize(q), conv, listed)   # as Pipeline.ask resolved it
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
    text = _strip_markers(question)
    text, pointed = _replace_pointers(text, conversation)
    text, person = _replace_person_pronoun(text, conversation)
    # The name standing in for "그" is borrowed: it weighs as little as carried words.
    borrowed = (person,) if person else ()
    # Carry the topic (the last self-contained question), not every earlier
    # follow-up's words, so a 4-turn dialogue does not drift.
    topic = last.topic or last.resolved
    typed = last.typed or last.resolved
    if asks_again(text) and (sub := _substitute(topic, text, listed)):
        # "에너지 분야 과제는 몇 개야?" -> "헬스케어는?": the same question with 헬스케어 for 에너지
        resolved, item = sub
        carried = tuple(f for f, _ in _terms(resolved) if f not in item) + borrowed
        return Resolved(resolved, question, previous=typed, topic=resolved, carried=carried, repeats_ask=True)
    swapped = _swap_modifier(text, last)
    if swapped:
        # "그중 헬스케어 과제는 몇 개?" -> "자동차는?": the same question about 자동차
        resolved, carried = swapped
        again = asks_again(text) and not _has_cue(text)
        return Resolved(_with_ask(resolved, typed) if again else resolved, question, previous=typed, topic=topic,
                        carried=tuple(carried) + borrowed, repeats_ask=again)
    switched = False
    if named := _answered_name(topic, conversation):
        # "AI 민주화를 선언한 사람은?" (문재인) -> "어떤 방식으로 메시지를 전했어?":
        # the follow-up is about the person found, not about the words that found him.
        carried = [named] if named not in text else []
    else:
        swapped_items = _listed_items(topic, text, listed)
        carried = _carried_terms(topic, text, swapped_items)
        switched = bool(swapped_items)
    resolved = " ".join(carried + [text]) if carried else text
    again = not pointed and asks_again(text) and not _has_cue(text)
    if again:
        resolved = _with_ask(resolved, typed)
    # "거기 짓는 데이터센터 연면적은?" becomes self-contained once 거기 is replaced, and
    # "헬스케어는 몇 개야?" once 헬스케어 has replaced 자동차: the topic the next follow-up builds on.
    return Resolved(resolved, question, previous=typed, topic=resolved if pointed or switched else topic,
                    carried=tuple(carried) + borrowed, repeats_ask=again)


# "헬스케어는?", "그럼 해외 대학은?": one or two words and a topic particle, nothing asked of their own
_BARE = re.compile(r"^\S+(?:\s\S+)?(?:은|는|도)\s*[?？]*$")
# The words that say what a question asks for; the question's ask runs from the first of them
# ("에너지 분야 과제는 몇 개야?" -> "몇 개야?")
_ASK_WORDS = frozenset({"몇", "얼마", "얼마나", "언제", "어디", "누구", "무엇", "뭐", "무슨", "어느", "어떤", "어떻게", "왜"})


def asks_again(text: str) -> bool:
    """Is `text` a bare "X는?" that asks the question before it again, of X?

    >>> asks_again("헬스케어는?"), asks_again("그럼 해외 대학은?"), asks_again("헬스케어 과제는 몇 개야?")
    (True, True, False)
    """
    text = _strip_markers(text.strip())
    return bool(_BARE.match(text)) and not any(m.form in _ASK_WORDS for m in morphemes(text))


def _has_cue(text: str) -> bool:
    """Does `text` say what it asks for ("기간은?": a period; "헬스케어는?": nothing)?"""
    from .reader.question import analyze   # here: the reader package imports this module at load time
    return analyze(text).has_cue


def _with_ask(resolved: str, typed: str) -> str:
    """The resolved follow-up with the ask of the question it repeats, so a reader of the text
    alone (the span model) knows what is asked: ("분야 과제 헬스케어는?", "에너지 분야 과제는 몇 개야?")
    -> "분야 과제 헬스케어는 몇 개야?" (unchanged when `typed` has no ask word: "NHN 투자액은?")."""
    start = next((m.start for m in morphemes(typed) if m.form in _ASK_WORDS), None)
    if start is None or is_latin_text(typed):
        return resolved
    return resolved.rstrip(" ?？") + " " + typed[start:].strip()


_PARTICLES = r"(?:은|는|이|가|을|를|와|과|도|의|에|에서|로|으로)"


def _substitute(topic: str, text: str, listed: Listed | None) -> tuple[str, str] | None:
    """The topic question asked of the item a bare follow-up names, where the documents list that
    item with exactly one word of the topic; None otherwise. Returns (question, item).

    ("에너지 분야 과제는 몇 개야?", "헬스케어는?") -> ("헬스케어 분야 과제는 몇 개야?", "헬스케어")
    ("공동연구하는 글로벌 기업은 몇 곳이에요?", "연구소는?") -> ("공동연구하는 연구소는 몇 곳이에요?", "연구소")
    (the word written just before the replaced one goes with it: it qualified the old item)
    """
    if listed is None or is_latin_text(text):
        return None
    bare = re.sub(r"(?:은|는|도)\s*[?？]*$", "", _strip_markers(text.strip())).strip()
    before = [f for f, _ in _terms(topic)]
    new = [f for f, _ in _terms(bare) if f not in before]
    for item in dict.fromkeys([bare] + new):
        olds = [f for f in before if f not in _CUE_WORDS and f != item and listed(f, item)]
        if len(olds) != 1:
            continue
        m = re.search(rf"(?:(?<!\S)(\S+) )?(?<![가-힣A-Za-z0-9]){re.escape(olds[0])}({_PARTICLES}?)(?![가-힣A-Za-z0-9])",
                      topic)
        if m is None:
            continue
        start = m.start(2) - len(olds[0]) if m.group(1) not in before else m.start()
        particle = m.group(2) and _particle_after(item, m.group(2))
        return topic[:start] + item + particle + topic[m.end():], item
    return None


def _particle_after(word: str, particle: str) -> str:
    """A particle in the form `word` takes: ("연구소", "은") -> "는", ("대학", "는") -> "은"."""
    vowel_form = {v: k for k, v in _AFTER_CONSONANT.items()}.get(particle, particle)
    return with_particle(word, vowel_form)


def _swap_modifier(text: str, last: Turn) -> tuple[str, list[str]] | None:
    """A bare "X는?" after a follow-up that added its own word Y: ask the previous question with X for Y.

    ("그중 헬스케어 과제는 몇 개?" resolved "AI 융합 헬스케어 과제는 몇 개?", "자동차는?")
      -> ("AI 융합 과제 자동차는?", ["AI", "융합", "과제"])
    """
    if last.topic == last.resolved:
        return None   # the previous turn was self-contained: normal topic carry
    own = [f for f, _ in _terms(text)]
    added = [f for f, _ in _terms(_strip_markers(last.question)) if f not in last.topic]
    if len(own) != 1 or len(added) != 1 or own[0] in last.resolved or added[0] not in last.resolved:
        return None
    carried = [f for f, _ in _terms(last.resolved) if f != added[0]]
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
    if any(p in q for p in _POINTERS) or q.startswith(("그중", "그 중")):
        return True
    morphs = morphemes(_strip_markers(q))
    terms = [m for m in morphs if m.tag in _TERM_TAGS]
    # "그럼 SoS Lab 고용규모는?" names its own topic. Kiwi also tags unknown
    # words as NNP (겸무 in 겸무교수), so a short Hangul "name" needs more words.
    named = any(m.tag == "SL" or (m.tag == "NNP" and len(m.form) >= 3) for m in morphs)
    if named and len(terms) >= 2 or any(m.tag in _ENTITY_TAGS for m in morphs) and len(terms) >= 3:
        return False
    return _has_marker(q) or len(terms) <= 2


def _has_marker(q: str) -> bool:
    return _strip_markers(q) != q


def _strip_markers(q: str) -> str:
    """ "그럼 겸무교수는?" -> "겸무교수는?" (a leading discourse marker goes)."""
    low = q.lower()
    for m in _MARKERS:
        if low.startswith(m + " ") or low.startswith(m + ","):
            return q[len(m) + 1:].strip(" ,")
    return q


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


def with_particle(word: str, particle: str) -> str:
    """The particle in the form the word's last sound takes.

    >>> with_particle("문재인", "가"), with_particle("최기영", "는"), with_particle("NHN", "가")
    ('이', '은', '가')
    """
    last = word[-1:]
    if "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28:   # a Hangul syllable with a final consonant
        return _AFTER_CONSONANT.get(particle, particle)
    return particle


def _replace_pointers(text: str, conversation: Conversation) -> tuple[str, bool]:
    """Put the answer a pointer word stands for in its place: the latest answer of a question that
    asked for the kind of thing the pointer points to ("거기": a place or a body, "그때": a date,
    "그 사람": a person). When no answer is of that kind the pointer goes (the topic is carried as
    for any follow-up): ("거기 짓는 데이터센터는?" after money asked) -> "짓는 데이터센터는?"."""
    pointer = next((p for p in _POINTERS if p in text), None)
    if pointer is None:
        return text, False
    from .reader.question import analyze, name_asked_of   # here: the reader package imports this module
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


def _listed_items(previous: str, current: str, listed: Listed | None) -> set[str]:
    """The words of `previous` that a new word of `current` is listed with in the documents.

    ("자동차 분야 과제는 몇 개야?", "헬스케어는?") -> {"자동차"} when the documents write 자동차·에너지·헬스케어
    """
    if listed is None or is_latin_text(current):
        return set()
    before = [f for f, _ in _terms(previous)]
    new = [f for f, _ in _terms(current) if f not in before]
    items = {f for f in before if f not in _CUE_WORDS and any(listed(f, n) for n in new)}
    # the word written just before an item goes with it ("글로벌 기업" -> "연구소": 글로벌 too)
    return items | {w for f in items for w in re.findall(rf"(?<!\S)(\S+) {re.escape(f)}", previous) if w in before}


def _carried_terms(previous: str, current: str, swapped: set[str] = frozenset()) -> list[str]:
    """Content words of `previous` that `current` lacks, minus those `current` replaces.

    - a modifier of a shared noun gives way to the new modifier:
      ("자동차 분야 과제는?", "에너지 분야는?") -> ["과제"]
    - so do the words in `swapped` (_listed_items: an item of a list gives way to another):
      ("자동차 분야 과제는 몇 개야?", "헬스케어는?", {"자동차"}) -> ["분야", "과제"]
    - otherwise everything is carried (the reader reads the answer type from
      the last cue word, so "NHN 투자액 기간은?" still asks for a period):
      ("SoS Lab은 누가 창업했어?", "직원 수는?") -> ["SoS Lab", "창업"]
    - a new Latin-script name replaces the old ones ("Kakao" after "NHN").
    """
    if is_latin_text(previous) and is_latin_text(current):
        have = {w.lower() for w in _EN_WORD.findall(current)}
        return [w for w in _EN_WORD.findall(previous)
                if w.lower() not in _EN_FUNCTION and w.lower() not in have]
    prev = _terms(previous)
    cur = _terms(current)
    cur_forms = [t for t, _ in cur]
    replaced: set[int] = set()
    for i, (form, _) in enumerate(prev):
        if form in cur_forms and i > 0 and cur_forms.index(form) > 0:
            replaced.add(i - 1)
    if any(tag == "SL" for _, tag in cur):
        replaced |= {i for i, (_, tag) in enumerate(prev) if tag == "SL"}
    out: list[str] = []
    for i, (form, _) in enumerate(prev):
        if form in _CUE_WORDS:
            continue   # "수", "얼마": the old question's type words would mislead
        if i not in replaced and form not in cur_forms and form not in out and form not in swapped:
            out.append(form)
    return out


def _terms(text: str) -> list[tuple[str, str]]:
    """Surface content words (noun runs kept whole) with the tag of their head."""
    morphs = morphemes(text)
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(morphs):
        m = morphs[i]
        if m.tag not in _TERM_TAGS:
            i += 1
            continue
        j = i + 1
        while j < len(morphs) and morphs[j].start == morphs[j - 1].end and (
                morphs[j].tag in _TERM_TAGS | {"XSN", "NNB"} or (morphs[j].form in "&+" and j + 1 < len(morphs))):
            j += 1   # noun runs, and "R&D", "AI+X" kept whole
        tags = {x.tag for x in morphs[i:j]}
        head = "SL" if "SL" in tags else morphs[j - 1].tag
        out.append((text[m.start:morphs[j - 1].end], head))
        i = j
    return [(f, t) for f, t in out if not re.fullmatch(r"[?!.]+", f)]

"""Coordinated siblings: what a text lists alongside the name a question asks about is not its answer.

    >>> asked_names("SoS Lab을 창업한 사람들은?")
    ('SoS Lab',)
    >>> is_sibling("SoS Lab과 티맥스소프트 등 기업이 언급됐다.", 9, 15, ("SoS Lab",))
    True

"광주 AI기반 혁신사례로 SoS Lab과 티맥스소프트 등 기업이 언급됐다. SoS Lab은 GIST 학생들이
모여 창업한 ..." answers "SoS Lab을 창업한 사람들은?" with GIST 학생들; the rules and the span
model both took 티맥스소프트, the name joined to SoS Lab by 과, because it sits next to the
question's own words. A question that asks for a companion says so with the particle of
accompaniment (과/와: "뉘르부르크링과 함께 ... 곳은?", "명성황후와 더불어 ..."): its names are
not asked about in this sense, and their siblings stay answers.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..korean import morphemes
from ..listing import Listed
from ..types import Chunk
from .aliases import flat_name
from .candidates import GENERIC_LATIN
from .evidence import GENERIC, eojeol_stems

# The particles that make a name what the question is about: topic, subject, object, genitive
# ("SoS Lab은", "SoS Lab이", "SoS Lab을", "SoS Lab의"). 과/와 (JKB, JC) ask for a companion.
_ABOUT = ("JX", "JKS", "JKO", "JKG")
_NAME = ("NNP", "SL", "SH")
_PUNCT = ("SF", "SP", "SS", "SE", "SO", "SW")
_NOUN = ("NNP", "NNG", "SL", "SH", "SN")
# What joins two items of a list: 과/와/및/·/, and the spoken 하고/이랑/랑 (spaces around).
_JOIN = re.compile(r"\s*(?:과|와|및|,|·|그리고|하고|이랑|랑)\s*")


def asked_names(question: str) -> tuple[str, ...]:
    """The names (proper nouns, Latin words) the question asks about: a run of them, maybe
    followed by common nouns ("벤저민 해리슨 대통령이"), that ends in a topic, subject, object
    or genitive particle. The name part only, as the question writes it.

    >>> asked_names("뉘르부르크링과 함께 포뮬러 원을 개최하는 곳은?")
    ()
    >>> asked_names("벤저민 해리슨 대통령이 당선된 해는?")
    ('벤저민 해리슨',)
    """
    ms = morphemes(question)
    out: list[str] = []
    i = 0
    while i < len(ms):
        if ms[i].tag not in _NAME:
            i += 1
            continue
        j = i   # the name part: names written together or apart by spaces, and nouns glued to them
        while j + 1 < len(ms) and (ms[j + 1].tag in _NAME and _adjacent(question, ms[j], ms[j + 1]) or
                                   ms[j + 1].tag in _NOUN and ms[j + 1].start == ms[j].end):
            j += 1
        k = j   # then common nouns of the same phrase
        while k + 1 < len(ms) and ms[k + 1].tag in _NOUN and _adjacent(question, ms[k], ms[k + 1]):
            k += 1
        # a particle of topic, subject, object or genitive; or none at all, the phrase opening the question
        # ("SoS Lab 누가 만들었는데?", "SoS Lab 설립 연도?": spoken Korean drops the topic's particle)
        marked = k + 1 < len(ms) and ms[k + 1].tag in _ABOUT and ms[k + 1].start == ms[k].end
        bare = ms[i].start == 0 and question[ms[j].end:ms[j].end + 1] == " " and \
            (k + 1 == len(ms) or ms[k + 1].start > ms[k].end or ms[k + 1].tag in _PUNCT)
        if marked or bare:
            name = question[ms[i].start:ms[j].end]
            # "AI", "IT" alone are vocabulary, not a name ("AI의 열기를 …")
            if len(name.replace(" ", "")) >= 2 and not all(w.upper() in GENERIC_LATIN for w in name.split()):
                out.append(name)
        i = k + 1
    return tuple(dict.fromkeys(out))


def names_asked(question: str, topic: str | None = None, carried: tuple[str, ...] = ()) -> tuple[str, ...]:
    """asked_names() of the question, and of a follow-up's topic those whose words were carried into it
    ("그럼 누가 만들었는데?" after "SoS Lab은 어떤 회사야?" reads "그럼 SoS Lab 누가 만들었는데?": no
    particle marks the borrowed name, and it does not open the question, yet it is what it is about).

    >>> names_asked("그럼 SoS Lab 누가 세웠어?", "SoS Lab은 어떤 회사야?", ("SoS", "Lab"))
    ('SoS Lab',)
    >>> names_asked("그럼 SoS Lab 누가 세웠어?")
    ()
    """
    own = asked_names(question)
    if own or not topic or not carried:
        return own   # a follow-up that marks names of its own asks about those
    return tuple(n for n in asked_names(topic) if all(w in carried for w in n.split()))


def is_sibling(sentence: str, start: int, end: int, names: tuple[str, ...]) -> bool:
    """Is sentence[start:end] joined to one of `names` as an item of the same list ("A과 B", "B와 A",
    "A, B", "A·B")? A span that holds the name itself is no sibling of it.

    >>> is_sibling("티맥스소프트와 SoS Lab이 언급됐다.", 0, 6, ("SoS Lab",))
    True
    >>> is_sibling("SoS Lab은 GIST 학생들이 창업했다.", 9, 16, ("SoS Lab",))
    False
    """
    text = sentence[start:end]
    for name in names:
        if name in text:
            continue
        for m in re.finditer(re.escape(name), sentence):
            if m.end() <= start and _JOIN.fullmatch(sentence[m.end():start]):
                return True
            if end <= m.start() and _JOIN.fullmatch(sentence[end:m.start()]):
                return True
    return False


def _adjacent(text: str, a, b) -> bool:
    """b follows a directly or after one space."""
    return b.start == a.end or (b.start == a.end + 1 and text[a.end] == " ")


# A clause's frame: the word a comma-separated clause is about ("자동차의 경우 ...", "서울에서는 ...",
# "노태우 씨는 ..."); the kind of marker is kept, since parallel clauses repeat theirs.
_FRAME = re.compile(r"(?<![가-힣A-Za-z0-9])([가-힣A-Za-z0-9]+?)(의 경우(?:에는|는|에)?|에서는|은|는)(?=\s)")
_CLAUSE_END = re.compile(r",\s|(?<=[.!?])\s")   # a sentence's end ends its last clause (a passage given whole)


def in_other_frame(sentence: str, start: int, end: int, question_words: list[str],
                   listed: Listed | None = None) -> bool:
    """Does sentence[start:end] start or end in a clause framed by another item than the one the
    question asks about, while a clause of the same sentence is framed by the question's own word?

        "자동차의 경우 자율주행 등 4개 과제, 헬스케어의 경우 유전체 분석 등 6개 과제로 추진된다."
        "헬스케어 과제는?" -> 자율주행 lies in 자동차's clause: True; 유전체 분석: False

    Both frames must carry the same marker (의 경우, 에서는, or a topic particle; for a topic
    particle, a frequent marker, `listed` must also say the documents list the two words together).
    On KorQuAD dev-a and Korean TyDi train it holds for none of 4,941 gold answers.

    >>> s = "자동차의 경우 자율주행 등 4개 과제, 헬스케어의 경우 유전체 분석 등 6개 과제로 추진된다."
    >>> in_other_frame(s, 8, 12, ["헬스케어", "과제"]), in_other_frame(s, 37, 43, ["헬스케어", "과제"])
    (True, False)
    """
    bounds = _clauses(sentence)
    return len(bounds) >= 2 and any(_framed_elsewhere(sentence, bounds, at, question_words, listed)
                                    for at in {start, max(start, end - 1)})


_TOPIC = re.compile(r"\s*([가-힣A-Za-z0-9][가-힣A-Za-z0-9 ]{0,20}?)(?:은|는)\s")


def about_another_item(sentence: str, others: list[str], names: tuple[str, ...], listed: Listed) -> bool:
    """Does `sentence` open on another item as its topic ("티맥스소프트는 …") than a name asked about,
    one the documents list with it, while one of the `others` sentences opens on the name asked
    ("SoS Lab은 …")? Parallel sentences about two items of a list: the answer is in the asked one's.

    >>> listed = lambda a, b: {a, b} == {"SoS Lab", "티맥스소프트"}
    >>> about_another_item("티맥스소프트는 센터를 설립했다.", ["SoS Lab은 학생들이 창업했다."], ("SoS Lab",), listed)
    True
    >>> about_another_item("티맥스소프트는 센터를 설립했다.", ["광주는 AI 도시다."], ("SoS Lab",), listed)
    False
    """
    m = _TOPIC.match(sentence)
    if not m:
        return False
    topic = m.group(1).strip()
    flat = {flat_name(n) for n in names}
    if flat_name(topic) in flat or not _one_opens_on(others, flat):
        return False
    return any(listed(n, topic) for n in names)   # the costly test last (the readers ask it per sentence)


def _one_opens_on(sentences: list[str], flat: set[str]) -> bool:
    """Does one of the sentences open on one of the (flattened) names as its topic ("SoS Lab은 …")?"""
    return any((t := _TOPIC.match(s)) and flat_name(t.group(1)) in flat for s in sentences)


# topics that point back ("그는", "이 단지는", "해당 기업은"): the sentence may well be about the name asked
_POINTING = ("그", "이", "저", "해당", "당시", "이날", "이번", "동", "본", "같은", "그녀", "이들", "그들", "이곳", "그곳")


def _names_a_topic(topic: str) -> bool:
    """Is the opening "X는" a named topic ("AI융복합단지", "티맥스소프트"), not one pointing back ("그", "이 단지"),
    an adverbial ("올해", "2021년에", "현재") or a common noun that may belong to the name asked ("본사", "회사")?

    >>> _names_a_topic("AI융복합단지"), _names_a_topic("본사"), _names_a_topic("2021년에"), _names_a_topic("이 단지")
    (True, False, False, False)
    """
    if topic.split()[0] in _POINTING or re.search(r"(?:에|에서|로|부터|까지)$", topic):
        return False
    return any(m.tag in _NAME for m in morphemes(topic))


def about_another_topic(sentence: str, names: tuple[str, ...], others: list[str]) -> bool:
    """Does `sentence` open on a topic of its own ("AI융복합단지는 2020~2024년 …") and name none of the
    names asked about, while one of the `others` (the passage's sentences) opens on one ("SoS Lab은
    …")? Then it answers nothing about them ("SoS Lab은 몇 년에 설립됐나요?" is not answered by the
    cluster's 2020~2024년). Only a named topic counts (_names_a_topic): one pointing back ("그는 …") may be
    the name asked, a common noun ("본사는 …") something of it; a sentence with no topic may drop it.

    >>> about_another_topic("AI융복합단지는 2020~2024년 진행된다.", ("SoS Lab",), ["SoS Lab은 스타트업이다."])
    True
    >>> about_another_topic("그는 2020년 회사를 세웠다.", ("SoS Lab",), ["SoS Lab은 스타트업이다."])
    False
    """
    m = _TOPIC.match(sentence)
    if not names or not m or not _names_a_topic(m.group(1)):
        return False
    flat, here = {flat_name(n) for n in names}, flat_name(sentence)
    return not any(n in here for n in flat) and _one_opens_on(others, flat)


def _framed_elsewhere(sentence: str, bounds: tuple[tuple[int, int], ...], at: int, question_words: list[str],
                      listed: Listed | None) -> bool:
    """Is position `at` in a clause framed (before `at`) by another item than a question word that
    frames another clause with the same marker?"""
    mine = next(((a, b) for a, b in bounds if a <= at <= b), None)
    if mine is None:
        return False
    clause = sentence[mine[0]:mine[1]]
    own = [(w, kind) for w, kind, pos in _frames(clause) if mine[0] + pos < at and w not in question_words]
    if not own:
        return False
    for a, b in bounds:
        if (a, b) == mine:
            continue
        for q, kind, _ in _frames(sentence[a:b]):
            if q in question_words and q not in clause and any(
                    k == kind and (kind != "topic" or listed is not None and listed(q, w)) for w, k in own):
                return True
    return False


def frame_words(question: str) -> list[str]:
    """The question's words that may frame a clause: its words, particles cut, not generic.

    >>> frame_words("에너지 분야 과제는 몇 개야?")
    ['에너지', '과제']
    """
    return [w for w in eojeol_stems(question) if len(w) >= 2 and w not in GENERIC]


# Cached: the rule reader asks about every candidate of a sentence, the hybrid about every model span.
@lru_cache(maxsize=1024)
def _clauses(sentence: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of each clause: commas and sentence ends separate them."""
    out, pos = [], 0
    for m in _CLAUSE_END.finditer(sentence):
        out.append((pos, m.start()))
        pos = m.end()
    return (*out, (pos, len(sentence)))


@lru_cache(maxsize=4096)
def _frames(clause: str) -> tuple[tuple[str, str, int], ...]:
    """(word, marker kind, offset) of each frame in a clause."""
    return tuple((m.group(1), "topic" if m.group(2) in ("은", "는") else m.group(2)[:4], m.start())
                 for m in _FRAME.finditer(clause))


def about_a_sibling(chunk: Chunk, start: int, names: tuple[str, ...], listed: Listed | None) -> bool:
    """Is the sentence the span starts in about another item of a list than the name asked about, one
    that another sentence of the passage is about ("SoS Lab 누가 만들었는데?": "SoS Lab은 GIST 학생들이 …
    창업한 … 티맥스소프트는 … 광주 AI기술센터를 설립했다", the two listed together elsewhere)? Neither
    reader answers from it (`start`: an offset in chunk.text)."""
    if not names or listed is None:
        return False
    sentences = sentence_texts(chunk)
    k = next((i for i, s in enumerate(chunk.sentences) if s.start <= start < s.end), None)
    return k is not None and about_another_item(sentences[k], sentences[:k] + sentences[k + 1:], names, listed)


def sentence_texts(chunk: Chunk) -> list[str]:
    """The chunk's sentences as text (its boundaries are kept relative to chunk.text)."""
    return [chunk.text[s.start:s.end] for s in chunk.sentences]

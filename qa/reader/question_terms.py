"""What a question asks about, as words to look for in the documents.

    weighted_terms(info)            -> {"nhn": 2.0, "투자액": 1.0, ...}   (names double, borrowed words less)
    in_document_words(terms, ...)   -> the same, each absent word swapped for the synonym or the spelled-out
                                       compound the documents use ("계산" -> "연산", "과기" -> "과학기술정보통신부")
    question_entities(info, q)      -> ["티맥스소프트"]   (names as typed, particle cut)
    mentions("문재인", "이날문대통령은") -> True        (a name under an alias, or by surname and title)

The rule reader weighs sentences and candidates by these terms and names (rule_reader.py); they are
pure functions of the question, its analysis and the documents' text.
"""
from __future__ import annotations

import re

from ..asked_kind import english_kind_dropped
from ..conversation import Resolved
from ..korean import morphemes
from ..types import Document, Hit
from .abbreviation import expansions, spelled_out
from .aliases import document_aliases
from .candidates import GENERIC_LATIN, TITLES
from .evidence import eojeol_stems, matches, source_texts, source_tokens, tokens_of
from .glossary import korean_terms
from .question import QuestionInfo
from .thesaurus import synonyms


CARRIED_WEIGHT = 0.4   # a word borrowed from an earlier turn counts less than the user's own words


def weighted_terms(info: QuestionInfo, resolved: Resolved | None = None) -> dict[str, float]:
    """Question terms with weights: names count double, single syllables half, borrowed words less."""
    terms = set(info.terms)
    if info.english:
        terms = korean_terms(english_kind_dropped(info.text))
    out = {}
    for t in terms:
        if len(t) == 1 and not t.isdigit() and t not in ("수",):
            w = 0.5
        elif t in info.entities and t.upper() not in GENERIC_LATIN:
            w = 2.0   # names count double; "AI" is vocabulary
        else:
            w = 1.0
        out[t] = w
    if resolved is not None and resolved.carried:
        own = tokens_of(resolved.original)
        for t in out:
            if t not in own:
                out[t] *= CARRIED_WEIGHT
    return out


def in_document_words(terms: dict[str, float], hits: list[Hit],
                       documents: dict[str, Document] | None, question: str) -> dict[str, float]:
    """Each question term the documents never use swapped for a synonym they do ("계산" -> "연산"),
    or for the compound its word abbreviates ("과기" of 과기정통부 -> "과학기술정보통신부")."""
    short = expansions(question, source_texts(hits, documents))
    if not short and not any(synonyms(t) for t in terms):
        return terms
    tokens = source_tokens(hits, documents)
    out: dict[str, float] = {}
    for t, w in terms.items():
        if not matches(t, tokens):
            t = next((s for s in synonyms(t) if matches(s, tokens)), None) or spelled_out(t, short)
        out[t] = max(out.get(t, 0.0), w)
    return out


def question_entities(info: QuestionInfo, question: str, texts: dict[str, str] | None = None) -> list[str]:
    """Names in a Korean question as typed, particle cut ("티맥스소프트가" -> "티맥스소프트").

    A word the documents define as a name ("광주과학기술원(GIST)") is one,
    however Kiwi splits it (광주 + 과학 + 기술원).
    """
    if info.english:
        return []   # English words are matched through the glossary instead
    stems = eojeol_stems(question)
    out = []
    for e in info.entities:
        if e.upper() in GENERIC_LATIN:
            continue   # "AI" is vocabulary, not a name
        stem = next((s for s in stems if e.startswith(s) and len(s) >= 2), e)
        out.append(stem)
    # Kiwi misreads some unknown names inside a sentence ("티맥스소프트는" -> 티맥스소프 + 트 + 는)
    # but reads them whole alone: a word that alone is one proper noun is a name too.
    out += [stem for stem in dict.fromkeys(stems) if stem not in out and reads_as_name(stem)]
    defined = {a for t in (texts or {}).values() for a in document_aliases(t)}
    out += [s for s in dict.fromkeys(stems) if s in defined and s not in out and re.fullmatch(r"[가-힣]+", s)]
    # A name the question abbreviates is looked for as the documents write it ("과기정통부": 과학기술정보통신부).
    short = expansions(question, list((texts or {}).values()))
    return list(dict.fromkeys(spelled_out(e, short) for e in out))


def reads_as_name(word: str) -> bool:
    """A Hangul word of 3+ syllables that Kiwi, reading it alone, takes for one proper noun."""
    if len(word) < 3 or not re.fullmatch(r"[가-힣]+", word):
        return False
    alone = morphemes(word)
    return len(alone) == 1 and alone[0].tag == "NNP"


def mentions(name: str, flat: str, aliases: dict[str, set[str]] | None = None) -> bool:
    """`name` in space-free text, under an alias the document gives it ("광주과학기술원(GIST)"),
    or as a person named by surname and title ("문재인" ~ "문대통령").

    >>> mentions("문재인", "이날문대통령은")
    True
    """
    if name in flat or any(a in flat for a in (aliases or {}).get(name, ())):
        return True
    if re.fullmatch(r"[가-힣]{3}", name):
        return any(name[0] + title in flat for title in TITLES)
    return False


def entity_gap(entities: list[str], window: str, aliases: dict[str, set[str]] | None = None) -> float:
    """Share of the question's names that neither this sentence nor the one before mentions."""
    if not entities:
        return 0.0
    flat = window.replace(" ", "").lower()
    return sum(1 for e in entities if not mentions(e, flat, aliases)) / len(entities)

"""The pipeline: retrieve passages, resolve follow-ups, read out an answer.

    from qa import load_pipeline
    p = load_pipeline()                     # builds the bundled index on first use
    p.ask("NHN 투자액은?").text              -> '2100억원'
    p.retrieve("NHN 투자액은?", k=3)         -> [Hit, Hit, Hit]
"""
from __future__ import annotations

import threading

from .conversation import Conversation, Resolved, resolve_followup
from .errors import InputError
from .index_manager import open_index
from .listing import listed_together
from .loanwords import LatinNames
from .reader import Reader
from .reader.factory import make_reader
from .retrieval import HybridRetriever, check_query
from .sanitize import bound_question, clean_text
from .settings import Settings
from .spelling import latinize
from .types import Answer, Hit
from .variants import SpellingVariants

MAX_K = 50


class Pipeline:
    """Retriever + reader + follow-up resolution over one loaded index.

    One instance serves many threads; each caller passes its own `Conversation`. Its only state
    after construction is the documents' Latin names (`respelled`), read on first use under a lock.
    """

    def __init__(self, retriever: HybridRetriever, reader: Reader, settings: Settings):
        self.retriever = retriever
        self.reader = reader
        self.settings = settings
        # (the documents they were read from, their Latin names, their Hangul spellings)
        self._names: tuple[object, LatinNames, SpellingVariants] | None = None
        self._names_lock = threading.Lock()

    @property
    def store(self):
        return self.retriever.store

    def listed(self, a: str, b: str) -> bool:
        """Do the indexed documents list `a` and `b` as items of one list ("자동차·에너지·헬스케어")?"""
        return listed_together(a, b, (d.text for d in self.store.documents.values()))

    def respelled(self, question: str) -> str:
        """`question` with Latin names written as the documents write them: acronyms spelled out in letter
        names ("엔에이치엔" -> "NHN"), names written as they sound ("쏘스랩" -> "SoS Lab", qa.loanwords) and
        words misspelled by one vowel ("메세지" -> "메시지", qa.variants)."""
        documents = self.store.documents
        names = self._names
        if names is None or names[0] is not documents:
            with self._names_lock:
                names = self._names
                if names is None or names[0] is not documents:
                    latin = LatinNames.of(d.text for d in documents.values())
                    names = self._names = (documents, latin, SpellingVariants.of(latin.text))
        return names[2].respell(names[1].respell(latinize(question)))

    def retrieve(self, query: str, k: int | None = None) -> list[Hit]:
        """Top-k passages for `query` (hybrid dense + BM25), searched on its first MAX_ANALYZED_CHARS."""
        k = self.settings.k if k is None else k
        if not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise InputError(f"k must be an integer between 1 and {MAX_K}, got {k!r}")
        return self.retriever.retrieve(bound_question(check_query(clean_text(query, what="the query"))), k)

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        """Answer `question`; with a conversation, follow-ups are resolved and the turn is recorded.

        Only the first MAX_ANALYZED_CHARS characters are analyzed (qa.sanitize.bound_question):
        the answer's `question` is that part, so it says what was answered.
        """
        question = bound_question(check_query(clean_text(question)))
        searched = self.respelled(question)   # "엔에이치엔" -> "NHN", "쏘스랩" -> "SoS Lab"
        resolved = resolve_followup(searched, conversation, self.listed) if conversation else Resolved(searched, searched)
        hits = self.retriever.retrieve(resolved.text, self.settings.k)
        answer = self.reader.read(question, resolved, hits, self.store.documents)
        if conversation is not None:
            conversation.add(answer, resolved)
        return answer


def load_pipeline(settings: Settings | None = None, reader: Reader | None = None) -> Pipeline:
    """Open (or build) the index named by `settings` and wire the default reader."""
    settings = settings or Settings.from_env()
    store, embedder = open_index(settings)
    retriever = HybridRetriever(store, embedder, dense_weight=settings.dense_weight,
                                lexical_weight=settings.lexical_weight, candidates=settings.candidates,
                                rrf_k=settings.rrf_k, fusion=settings.fusion)
    return Pipeline(retriever, reader or make_reader(settings), settings)

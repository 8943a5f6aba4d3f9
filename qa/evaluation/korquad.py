"""KorQuAD 1.0 dev evaluation: the reader alone, or the whole open-domain pipeline.

    data = load_korquad()                          # ../shared/data/korquad/KorQuAD_v1.0_dev.json
    qs = questions(split_articles(data, "dev-a"), limit=300)
    evaluate_reader(qs)   -> {"em": 0.41, "f1": 0.62, "abstain_rate": ..., ...}
    evaluate_open(split_articles(data, "dev-a"), qs)   (+ recall@k / MRR of the gold paragraph)

dev-a = articles at even positions of `data` (tune on it), dev-b = odd
positions (held back: report on it, never tune on it).

Any other SQuAD v1.1-format file (Korean TyDi QA GoldP dev, say) is scored
whole, with the same report keys: `run_squad(path, "reader")`.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..settings import Settings
from ..types import Document, Hit
from .metrics import em_nospace, exact_match, f1, first_rank, mean, mrr, recall_at_k

DEFAULT_PATH = Path(__file__).resolve().parents[3] / "shared" / "data" / "korquad" / "KorQuAD_v1.0_dev.json"
SPLITS = ("dev-a", "dev-b")
MODES = ("reader", "open")
RECALL_K = 5


@dataclass(frozen=True)
class KQ:
    """One KorQuAD question with its paragraph's document id `"{article}:{paragraph}"`."""

    id: str
    question: str
    answers: tuple[str, ...]
    doc_id: str
    title: str
    context: str


def load_korquad(path: str | Path | None = None, what: str = "KorQuAD_v1.0_dev.json") -> dict:
    """The parsed KorQuAD json (SQuAD v1.1 layout), checked enough to fail clearly."""
    path = Path(path) if path else DEFAULT_PATH
    if not path.is_file():
        raise InputError(f"{'KorQuAD' if what.startswith('KorQuAD') else 'SQuAD'} file not found: {path} "
                         f"(pass the path of {what})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{path} is not a JSON file ({type(e).__name__}): pass {what}") from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise InputError(f'{path} is not in KorQuAD/SQuAD format: expected {{"data": [articles...]}}')
    for i, article in enumerate(data["data"]):
        if not isinstance(article, dict) or not isinstance(article.get("paragraphs", []), list) or any(
                not isinstance(p, dict) or not isinstance(p.get("context"), str) for p in article.get("paragraphs", [])):
            raise InputError(f"{path}: article {i} is not in SQuAD v1.1 format "
                             f'(expected {{"title", "paragraphs": [{{"context", "qas"}}]}})')
    return data


def split_articles(data: dict, split: str) -> list[tuple[int, dict]]:
    """(position in `data`, article) for the split: dev-a = even positions, dev-b = odd.

    >>> [i for i, _ in split_articles({"data": [{}, {}, {}, {}, {}]}, "dev-b")]
    [1, 3]
    """
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)}")
    parity = SPLITS.index(split)
    return [(i, a) for i, a in enumerate(data["data"]) if i % 2 == parity]


# TyDi QA's GoldP contexts keep stray bold tags from the Wikipedia HTML.
_MARKUP = re.compile(r"</?b>")


def clean_context(context: str) -> str:
    """A context with stray HTML bold tags removed (they are in no gold answer).

    >>> clean_context("서울</b>은 수도이다")
    '서울은 수도이다'
    """
    return _MARKUP.sub("", context)


def questions(articles: list[tuple[int, dict]], limit: int | None = None) -> list[KQ]:
    """The split's questions in file order, the first `limit` of them when given."""
    if limit is not None and limit <= 0:
        raise InputError(f"--limit must be a positive number of questions, got {limit}")
    out: list[KQ] = []
    for ai, article in articles:
        for pi, para in enumerate(article.get("paragraphs", [])):
            for qa in para.get("qas", []):
                answers = tuple(a["text"] for a in qa.get("answers", []) if a.get("text"))
                if not answers:
                    continue  # KorQuAD 1.0 has none of these; skip rather than score against nothing
                out.append(KQ(str(qa["id"]), qa["question"], answers, f"{ai}:{pi}", article.get("title", ""),
                              clean_context(para["context"])))
                if limit is not None and len(out) >= limit:
                    return out
    return out


def paragraph_documents(articles: list[tuple[int, dict]]) -> list[Document]:
    """One normalized Document per paragraph, id "{article}:{paragraph}", titled by its article."""
    from ..korean import normalize_text
    return [Document(f"{ai}:{pi}", article.get("title", ""), normalize_text(clean_context(para["context"])),
                     source="korquad")
            for ai, article in articles for pi, para in enumerate(article.get("paragraphs", []))]


# ---- reader mode --------------------------------------------------------

def evaluate_reader(qs: list[KQ], reader=None, settings: Settings | None = None, progress: bool = True,
                    abstain: bool = False) -> dict:
    """The reader alone, handed the gold paragraph as its only passage (`abstain`: with the settings'
    abstention, which can only lose here; its abstain_rate is the false-abstention rate)."""
    from tqdm import tqdm

    from ..conversation import Resolved
    if reader is None:
        from ..reader.factory import make_reader
        # KorQuAD 1.0 has no unanswerable questions and the gold paragraph is
        # given: abstaining can only lose, so the reader always answers here.
        settings = settings or Settings()
        reader = make_reader(settings if abstain else settings.with_(abstain_threshold=0.0))
    rows, t0 = [], time.perf_counter()
    for q, doc, hit in gold_passages(tqdm(qs, desc="korquad reader", unit="q", disable=not progress)):
        answer = reader.read(q.question, Resolved(q.question, q.question), [hit], {doc.id: doc})
        rows.append(_score(q, answer, None))
    return _report("reader", rows, time.perf_counter() - t0)


def gold_passages(qs):
    """(question, its paragraph as a Document, that paragraph as the one Hit) for each question.

    Questions share paragraphs: each paragraph is normalized and split into sentences once.
    """
    from ..chunking import chunk_document
    from ..korean import normalize_text
    passages: dict[str, tuple[Document, Hit]] = {}
    for q in qs:
        if q.doc_id not in passages:
            doc = Document(q.doc_id, q.title, normalize_text(q.context))
            passages[q.doc_id] = (doc, Hit(rank=1, score=1.0, chunk=chunk_document(doc, max_chars=10**6, overlap=0)[0]))
        yield (q, *passages[q.doc_id])


# ---- open mode ----------------------------------------------------------

def cache_root() -> Path:
    """Where KorQuAD indexes are cached: $QA_CACHE_DIR/korquad or ~/.cache/qa-korean/korquad."""
    base = os.environ.get("QA_CACHE_DIR")
    return (Path(base) if base else Path.home() / ".cache" / "qa-korean") / "korquad"


def open_pipeline(split: str, docs: list[Document], settings: Settings, progress: bool = True,
                  abstain: bool = False):
    """A pipeline over the split's paragraphs, built once and cached by corpus + index settings
    (`abstain`: keeping the settings' abstention threshold; default: never abstaining)."""
    from ..index_manager import build_index, index_exists
    from ..pipeline import load_pipeline
    from ..store import corpus_hash
    from ..chunking import CHUNKING_VERSION
    from ..korean import analyzer_record
    # the analyzer is part of the key: an index cut by another Kiwi is another cache entry, not an error
    key = hashlib.sha256(json.dumps([corpus_hash(docs), settings.embedder, settings.model,
                                     settings.chunk_max_chars, settings.chunk_overlap,
                                     settings.faiss_kind, CHUNKING_VERSION, analyzer_record()]).encode()).hexdigest()[:12]
    # No KorQuAD question is unanswerable: never abstain (see evaluate_reader).
    settings = settings.with_(index_root=cache_root(), index_name=f"{split}-{key}",
                              abstain_threshold=settings.abstain_threshold if abstain else 0.0)
    if not index_exists(settings):
        build_index(settings, docs, progress=progress)
    return load_pipeline(settings)


def evaluate_open(articles: list[tuple[int, dict]], qs: list[KQ], split: str, settings: Settings | None = None,
                  progress: bool = True, abstain: bool = False) -> dict:
    """Retrieve over the whole split's paragraphs, then read: answers plus gold-paragraph recall."""
    from tqdm import tqdm
    t_setup = time.perf_counter()
    pipeline = open_pipeline(split, paragraph_documents(articles), settings or Settings(), progress, abstain)
    setup = time.perf_counter() - t_setup
    rows, t0 = [], time.perf_counter()
    for q in tqdm(qs, desc="korquad open", unit="q", disable=not progress):
        answer = pipeline.ask(q.question)
        hits = list(answer.passages)
        if len(hits) < RECALL_K:
            hits = pipeline.retrieve(answer.resolved_question or q.question, RECALL_K)
        # Gold = the question's own paragraph, by id (dedupe may have dropped or trimmed it).
        rows.append(_score(q, answer, first_rank(h.chunk.doc_id == q.doc_id for h in hits[:RECALL_K])))
    report = _report("open", rows, time.perf_counter() - t0)
    ranks = [r["rank"] for r in rows]
    report.update({f"recall@{k}": recall_at_k(ranks, k) for k in (1, 3, 5)})
    report["mrr"] = mrr(ranks)
    report["setup_seconds"] = round(setup, 3)
    report["total_seconds"] = round(report["total_seconds"] + setup, 3)
    return report


# ---- scoring ------------------------------------------------------------

def forced_text(answer) -> str | None:
    """The reader's best span even when it abstained, if the Answer exposes one; else None."""
    if not answer.abstained:
        return answer.text
    for name in ("best_text", "candidate", "span_text"):  # no such field on qa.types.Answer yet
        value = getattr(answer, name, None)
        if isinstance(value, str):
            return value
    return None


def _score(q: KQ, answer, rank: int | None) -> dict:
    predicted = None if answer.abstained else answer.text
    forced = forced_text(answer)
    return {"id": q.id, "question": q.question, "gold": list(q.answers), "predicted": predicted,
            "abstained": bool(answer.abstained), "rank": rank, "forced": forced,
            "em": exact_match(predicted, q.answers), "em_nospace": em_nospace(predicted, q.answers),
            "f1": f1(predicted, q.answers),
            "forced_em": exact_match(forced, q.answers), "forced_f1": f1(forced, q.answers)}


def _report(mode: str, rows: list[dict], seconds: float) -> dict:
    report = {
        "mode": mode,
        "n": len(rows),
        "em": mean([r["em"] for r in rows]),
        "em_nospace": mean([r["em_nospace"] for r in rows]),
        "f1": mean([r["f1"] for r in rows]),
        "abstain_rate": mean([float(r["abstained"]) for r in rows]),
        "seconds_per_question": seconds / len(rows) if rows else 0.0,
        "total_seconds": round(seconds, 3),
    }
    # "If never abstaining" only when every abstention exposed its best span.
    if rows and all(r["forced"] is not None or not r["abstained"] for r in rows):
        report["em_if_never_abstaining"] = mean([r["forced_em"] for r in rows])
        report["f1_if_never_abstaining"] = mean([r["forced_f1"] for r in rows])
    report["failures"] = [{"id": r["id"], "question": r["question"], "predicted": r["predicted"],
                           "gold": r["gold"]} for r in rows if r["em"] < 1.0]
    return report


def format_korquad(report: dict) -> str:
    """Plain-text table, rates x100."""
    lines = [f"KorQuAD {report.get('split', '')} {report['mode']} mode: {report['n']} questions"]
    for key in ("em", "em_nospace", "f1", "em_if_never_abstaining", "f1_if_never_abstaining", "abstain_rate",
                "recall@1", "recall@3", "recall@5", "mrr"):
        if key in report:
            lines.append(f"  {key:<24} {report[key] * 100:7.2f}")
    lines.append(f"  {'seconds_per_question':<24} {report['seconds_per_question']:7.3f}")
    if "setup_seconds" in report:
        lines.append(f"  {'setup_seconds':<24} {report['setup_seconds']:7.1f}")
    lines.append(f"  {'total_seconds':<24} {report['total_seconds']:7.1f}")
    return "\n".join(lines)


def run_korquad(path: str | Path | None, split: str, mode: str, limit: int | None = None,
                settings: Settings | None = None, progress: bool = True, abstain: bool = False) -> dict:
    """Load, split, evaluate; the report also names the split, mode and file. Every question is
    answerable: the reader never abstains unless `abstain` (then abstain_rate = false abstentions)."""
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
    data = load_korquad(path)
    articles = split_articles(data, split)
    qs = questions(articles, limit)
    if not qs:
        raise InputError(f"split {split} of {path or DEFAULT_PATH} holds no questions")
    if mode == "reader":
        report = evaluate_reader(qs, settings=settings, progress=progress, abstain=abstain)
    else:
        report = evaluate_open(articles, qs, split, settings, progress, abstain)
    return {"dataset": str(Path(path) if path else DEFAULT_PATH), "split": split, "abstaining": abstain, **report}


def squad_split_name(path: str | Path) -> str:
    """The split name a SQuAD file's open-mode index is cached under: its stem, made a safe name.

    >>> squad_split_name("../shared/data/tydiqa/korean_tydiqa_dev.json")
    'squad-korean_tydiqa_dev'
    """
    return "squad-" + re.sub(r"[^A-Za-z0-9_-]+", "-", Path(path).stem)[:40]


def run_squad(path: str | Path, mode: str, limit: int | None = None, settings: Settings | None = None,
              progress: bool = True, abstain: bool = False) -> dict:
    """Any SQuAD v1.1-format file, scored whole (no dev-a/dev-b split), same report keys as KorQuAD.

    The open-mode index is cached under a name made of the file's stem and content hash.
    """
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
    data = load_korquad(path, what="a SQuAD v1.1-format JSON file")
    articles = list(enumerate(data["data"]))
    qs = questions(articles, limit)
    if not qs:
        raise InputError(f"{path} holds no answerable questions")
    name = squad_split_name(path)
    if mode == "reader":
        report = evaluate_reader(qs, settings=settings, progress=progress, abstain=abstain)
    else:
        report = evaluate_open(articles, qs, name, settings, progress, abstain)
    return {"dataset": str(path), "split": "all", "abstaining": abstain, **report}

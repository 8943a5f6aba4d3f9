"""KorQuAD loading, the dev-a/dev-b split and reader-mode scoring, on a tiny synthetic file."""
import json

import pytest

from qa.errors import InputError
from qa.evaluation import korquad
from qa.evaluation.korquad import (evaluate_reader, forced_text, load_korquad, paragraph_documents, questions,
                                   split_articles)
from qa.types import Answer


def _article(i, n_paragraphs=2, n_questions=2):
    paragraphs = []
    for p in range(n_paragraphs):
        context = f"문서{i}의 문단{p}이다.  정답은 답{i}{p}이다."
        qas = [{"id": f"{i}-{p}-{q}", "question": f"문서{i} 문단{p} 질문{q}은?",
                "answers": [{"text": f"답{i}{p}", "answer_start": context.index(f"답{i}{p}")}]}
               for q in range(n_questions)]
        paragraphs.append({"context": context, "qas": qas})
    return {"title": f"제목{i}", "paragraphs": paragraphs}


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "korquad.json"
    p.write_text(json.dumps({"version": "KorQuAD_v1.0_dev", "data": [_article(i) for i in range(5)]},
                            ensure_ascii=False), encoding="utf-8")
    return p


def test_split_even_and_odd_articles(path):
    data = load_korquad(path)
    a = split_articles(data, "dev-a")
    b = split_articles(data, "dev-b")
    assert [i for i, _ in a] == [0, 2, 4]
    assert [art["title"] for _, art in b] == ["제목1", "제목3"]
    assert not {i for i, _ in a} & {i for i, _ in b}
    with pytest.raises(InputError, match="unknown split"):
        split_articles(data, "dev-c")


def test_questions_in_file_order_with_limit(path):
    b = split_articles(load_korquad(path), "dev-b")
    qs = questions(b)
    assert len(qs) == 2 * 2 * 2
    assert [q.id for q in qs[:3]] == ["1-0-0", "1-0-1", "1-1-0"]
    first = qs[0]
    assert (first.doc_id, first.title, first.answers) == ("1:0", "제목1", ("답10",))
    assert [q.id for q in questions(b, limit=5)] == ["1-0-0", "1-0-1", "1-1-0", "1-1-1", "3-0-0"]
    with pytest.raises(InputError, match="positive"):
        questions(b, limit=0)


def test_paragraph_documents(path):
    docs = paragraph_documents(split_articles(load_korquad(path), "dev-a"))
    assert [d.id for d in docs] == ["0:0", "0:1", "2:0", "2:1", "4:0", "4:1"]
    assert docs[0].title == "제목0"
    assert docs[0].text == "문서0의 문단0이다. 정답은 답00이다."   # normalized (double space squeezed)


def test_load_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_korquad(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    with pytest.raises(InputError, match="not a JSON file"):
        load_korquad(bad)
    bad.write_text('{"version": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="SQuAD format"):
        load_korquad(bad)


class FakeReader:
    """Answers the gold for paragraph 0, a wrong span for question 1 of paragraph 1, abstains otherwise."""

    def __init__(self):
        self.calls = []

    def read(self, question, resolved, hits, documents):
        (hit,) = hits
        doc = documents[hit.chunk.doc_id]
        assert hit.chunk.text == doc.text and resolved.text == question
        self.calls.append(hit.chunk.doc_id)
        art, par = hit.chunk.doc_id.split(":")
        if par == "0":
            text = f"답{art}{par}"
        elif question.endswith("질문1은?"):
            text = f"답{art}{par}이다"
        else:
            return Answer(question, question, None, 0.1, True, passages=hits)
        return Answer(question, question, text, 0.9, False, doc_id=doc.id)


def test_reader_mode_scores(path):
    qs = questions(split_articles(load_korquad(path), "dev-a"), limit=4)
    reader = FakeReader()
    report = evaluate_reader(qs, reader=reader, progress=False)
    assert reader.calls == ["0:0", "0:0", "0:1", "0:1"]
    assert report["n"] == 4
    assert report["em"] == pytest.approx(0.5)
    # "답01이다" vs "답01": P 3/5, R 1 -> 3/4
    assert report["f1"] == pytest.approx((1 + 1 + 0 + 0.75) / 4)
    assert report["abstain_rate"] == pytest.approx(0.25)
    assert "em_if_never_abstaining" not in report        # Answer exposes no span for abstentions
    assert [f["id"] for f in report["failures"]] == ["0-1-0", "0-1-1"]
    assert report["seconds_per_question"] >= 0 and "recall@1" not in report
    assert "reader mode: 4 questions" in korquad.format_korquad(report)


@pytest.mark.parametrize("abstain, threshold", [(False, 0.0), (True, 0.35)])
def test_reader_mode_never_abstains_unless_asked(path, monkeypatch, abstain, threshold):
    """KorQuAD has no unanswerable question: the reader is made never to abstain, unless --abstain asks
    how often the product's own threshold wrongly says "not in the documents"."""
    from qa.reader import factory
    from qa.settings import Settings
    made = []
    monkeypatch.setattr(factory, "make_reader", lambda settings: made.append(settings) or FakeReader())
    report = korquad.run_korquad(path, "dev-a", "reader", limit=2, settings=Settings(abstain_threshold=0.35),
                                 progress=False, abstain=abstain)
    assert [s.abstain_threshold for s in made] == [threshold]
    assert report["abstaining"] is abstain and report["n"] == 2


def test_forced_text():
    assert forced_text(Answer("q", "q", "답", 0.9, False)) == "답"
    assert forced_text(Answer("q", "q", None, 0.1, True)) is None


def test_cache_root(monkeypatch, tmp_path):
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path))
    assert korquad.cache_root() == tmp_path / "korquad"
    monkeypatch.delenv("QA_CACHE_DIR")
    assert korquad.cache_root().parts[-2:] == ("qa-korean", "korquad")


# ---- any SQuAD v1.1 file (TyDi QA GoldP dev, say) ------------------------

def _tydi_like(tmp_path):
    context = "서울</b>은 대한민국의 수도이다. 인구는 약 940만 명이다."
    data = {"data": [{"title": "서울", "paragraphs": [{"context": context, "qas": [
        {"id": "t1", "question": "대한민국의 수도는?", "answers": [{"text": "서울", "answer_start": 0}]},
        {"id": "t2", "question": "서울 인구는?", "answers": [{"text": "약 940만 명", "answer_start": 25}]},
        {"id": "t3", "question": "답이 없는 질문", "answers": []}]}]}]}
    p = tmp_path / "korean_tydiqa_dev.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def test_squad_file_whole_in_reader_mode(tmp_path, monkeypatch):
    path = _tydi_like(tmp_path)
    seen = []

    def fake_reader(qs, settings=None, progress=True, abstain=False):
        seen.extend(qs)
        return {"mode": "reader", "n": len(qs), "em": 1.0, "f1": 1.0}

    monkeypatch.setattr(korquad, "evaluate_reader", fake_reader)
    report = korquad.run_squad(path, "reader")
    assert report["split"] == "all" and report["dataset"] == str(path) and report["n"] == 2
    assert [q.id for q in seen] == ["t1", "t2"]                     # unanswerable entries are skipped
    assert seen[0].context.startswith("서울은 대한민국의 수도")        # stray bold tags removed
    with pytest.raises(InputError, match="unknown mode"):
        korquad.run_squad(path, "both")


def test_squad_open_mode_index_name_is_a_safe_name(tmp_path, monkeypatch):
    path = _tydi_like(tmp_path)
    names = []
    monkeypatch.setattr(korquad, "evaluate_open",
                        lambda articles, qs, split, settings, progress, abstain: names.append(split) or {"n": len(qs)})
    korquad.run_squad(path, "open", limit=1)
    assert names == ["squad-korean_tydiqa_dev"]


def test_squad_file_with_bad_paragraphs(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"data": [{"title": "x", "paragraphs": [{"qas": []}]}]}), encoding="utf-8")
    with pytest.raises(InputError, match="article 0 is not in SQuAD v1.1 format"):
        korquad.run_squad(bad, "reader")

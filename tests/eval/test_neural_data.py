"""eval/neural_data.py: the span reader's training examples keep exact answer offsets and leave dev-b out."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

@pytest.fixture(scope="module")
def nd(eval_script):
    return eval_script("neural_data")


def squad(path: Path, articles: list[list[tuple[str, list[tuple[str, str, int]]]]]) -> Path:
    data = {"data": [{"title": f"t{i}", "paragraphs": [
        {"context": c, "qas": [{"id": f"{i}-{k}-{j}", "question": q, "answers": [{"text": a, "answer_start": s}]}
                               for j, (q, a, s) in enumerate(qs)]} for k, (c, qs) in enumerate(paras)]}
        for i, paras in enumerate(articles)]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_tags_are_stripped_and_answers_keep_exact_offsets(nd, tmp_path):
    ctx = "<b>광주</b>에 데이터센터가 들어선다. NHN은 2100억원을 투자한다."
    path = squad(tmp_path / "s.json", [[(ctx, [("투자액은?", "2100억원", ctx.index("2100억원"))])]])
    (ex,) = nd.squad_examples(path, "tydi-ko")
    text, start = ex.answers[0]
    assert "<b>" not in ex.context and ex.context[start:start + len(text)] == "2100억원"
    assert ex.group == "tydi-ko:0" and ex.source == "tydi-ko"


def test_an_answer_not_in_the_context_drops_the_question(nd, tmp_path):
    path = squad(tmp_path / "s.json", [[("NHN은 투자한다.", [("얼마?", "2100억원", 0)])]])
    assert nd.squad_examples(path, "korquad") == []


def test_passages_sharing_a_run_with_dev_b_are_found(nd, tmp_path):
    shared = "이 문장은 개발 세트 b에만 있어야 하는 서른 글자 이상의 긴 문장입니다"
    kq = squad(tmp_path / "kq.json", [[("dev-a 문단.", [])], [(shared + ".", [])]])   # article 1 is dev-b
    runs = nd.dev_b_runs(kq)
    assert nd.overlaps("앞말 " + shared, runs)
    assert not nd.overlaps("전혀 다른 학습용 문단으로 겹치는 부분이 하나도 없는 긴 문장입니다.", runs)


def test_no_answer_pairs_take_another_passage_without_the_answer(nd):
    E = nd.Example
    contexts = [f"{name}은 {money}을 {verb}한다. 데이터센터 사업 이야기다." for name, money, verb in
                [("NHN", "2100억원", "투자"), ("정부", "899억원", "지원"), ("광주시", "300억원", "부담"), ("GIST", "50억원", "유치")]]
    examples = [E(str(i), f"{c.split('은')[0]} 금액은?", c, ((c.split("을")[0].split(" ")[1], 0),), "korquad", f"korquad:{i}")
                for i, c in enumerate(contexts)]
    negs = nd.add_negatives(examples, 1.0, seed=1)
    assert negs and all(n.answers == () and n.source == "korquad-neg" for n in negs)
    by_id = {e.id: e for e in examples}
    for n in negs:
        own = by_id[n.id.removesuffix("#neg")]
        assert n.context != own.context and own.answers[0][0] not in n.context

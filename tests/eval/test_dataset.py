"""Sanity checks for the hand-written evaluation sets: eval/announcement.jsonl (ours, tuned on),
eval/heldout.jsonl and eval/heldout2.jsonl (written blind, measurements only)."""
import json
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "eval" / "announcement.jsonl"
HELDOUT = REPO / "eval" / "heldout.jsonl"
HELDOUT2 = REPO / "eval" / "heldout2.jsonl"
ALLOWED_TYPES = {
    "money", "count", "date", "period", "person", "organization", "place",
    "quantity", "item", "list", "description", "english", "unanswerable",
    "dialogue",
}
ID_PREFIX = {"a", "u", "e", "d"}


def _article_path() -> Path:
    bundled = sorted((REPO / "qa" / "data").glob("*.txt"))
    if bundled:
        return bundled[0]
    return REPO.parent / "shared" / "seeds" / "000_93843c32c2242a46.txt"


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _read(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for n, line in enumerate(lines, 1):
        assert line.strip(), f"blank line {n}"
        out.append(json.loads(line))
    return out


@pytest.fixture(scope="module")
def records():
    return _read(DATASET)


@pytest.fixture(scope="module")
def heldout():
    return _read(HELDOUT)


@pytest.fixture(scope="module")
def article():
    path = _article_path()
    assert path.is_file(), f"article not found: {path}"
    return _nfc(path.read_text(encoding="utf-8"))


def _check_answers(answers, where):
    assert isinstance(answers, list), where
    for a in answers:
        assert isinstance(a, str) and a.strip(), f"{where}: bad answer {a!r}"
    assert len(answers) == len(set(answers)), f"{where}: duplicate answers"


def _singles(records):
    return [r for r in records if "turns" not in r]


def _dialogues(records):
    return [r for r in records if "turns" in r]


def test_schema(records):
    ids = [r.get("id") for r in records]
    assert all(isinstance(i, str) and i for i in ids)
    assert len(ids) == len(set(ids)), "ids must be unique"
    for r in records:
        rid = r["id"]
        assert rid[0] in ID_PREFIX, rid
        assert r.get("type") in ALLOWED_TYPES, rid
        if "turns" in r:
            assert set(r) == {"id", "turns", "type"}, rid
            assert r["type"] == "dialogue" and rid.startswith("d"), rid
            assert 2 <= len(r["turns"]) <= 4, rid
            for k, t in enumerate(r["turns"]):
                assert set(t) == {"question", "answers"}, rid
                assert isinstance(t["question"], str) and t["question"].strip()
                _check_answers(t["answers"], f"{rid}[{k}]")
        else:
            assert set(r) == {"id", "question", "answers", "type"}, rid
            assert r["type"] != "dialogue", rid
            assert isinstance(r["question"], str) and r["question"].strip()
            _check_answers(r["answers"], rid)
            if r["type"] == "unanswerable":
                assert r["answers"] == [] and rid.startswith("u"), rid
            else:
                assert r["answers"], f"{rid}: answerable record without answers"
            if r["type"] == "english":
                assert rid.startswith("e"), rid
            elif r["answers"]:
                assert rid.startswith("a"), rid


def test_answers_verbatim_in_article(records, article):
    missing = []
    for r in records:
        turns = r["turns"] if "turns" in r else [r]
        for t in turns:
            for a in t["answers"]:
                if _nfc(a) not in article:
                    missing.append((r["id"], a))
    assert not missing, f"answers not found verbatim in article: {missing}"


def test_counts(records):
    singles = _singles(records)
    dialogues = _dialogues(records)
    assert len(singles) >= 120
    assert sum(r["type"] == "english" for r in singles) >= 10
    assert sum(r["answers"] == [] for r in singles) >= 20
    assert len(dialogues) >= 12
    # at least one dialogue with an unanswerable follow-up turn
    assert any(any(t["answers"] == [] for t in d["turns"][1:]) for d in dialogues)


def _check_blind_set(rows, records, article, single_id, dialogue_id):
    """A blind set: ids of its own (none shared with ours), verbatim answers, consistent types."""
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) and not set(ids) & {r["id"] for r in records}
    for r in rows:
        assert r.get("type") in ALLOWED_TYPES, r["id"]
        turns = r["turns"] if "turns" in r else [r]
        assert r["id"].startswith(dialogue_id if "turns" in r else single_id), r["id"]
        assert ("turns" in r) == (r["type"] == "dialogue"), r["id"]
        for t in turns:
            assert isinstance(t["question"], str) and t["question"].strip(), r["id"]
            _check_answers(t["answers"], r["id"])
            assert all(_nfc(a) in article for a in t["answers"]), r["id"]
        if "turns" not in r:
            assert (r["type"] == "unanswerable") == (r["answers"] == []), r["id"]


def test_heldout_schema_answers_and_counts(heldout, records, article):
    """The held-out set: f… singles (answerable or not), g… dialogues, verbatim answers, no id shared."""
    _check_blind_set(heldout, records, article, "f", "g")
    singles = _singles(heldout)
    assert len(singles) >= 90 and len(_dialogues(heldout)) >= 10
    assert sum(r["type"] == "unanswerable" for r in singles) >= 15


def test_second_heldout_schema_answers_and_counts(heldout, records, article):
    """The second blind set (Dec 4): h… singles, hd… dialogues, no id shared with the other two."""
    rows = _read(HELDOUT2)
    _check_blind_set(rows, records, article, "h", "hd")
    assert not {r["id"] for r in rows} & {r["id"] for r in heldout}
    assert not any(r["id"].startswith("hd") for r in _singles(rows))
    singles = _singles(rows)
    assert len(singles) >= 45 and len(_dialogues(rows)) >= 8
    assert sum(r["type"] == "unanswerable" for r in singles) >= 8

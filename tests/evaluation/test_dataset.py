"""Loading and validating JSONL evaluation sets."""
import json

import pytest

from qa.errors import InputError
from qa.evaluation import dataset
from qa.evaluation.dataset import Item, load_records, parse_record


def _write(path, lines):
    path.write_text("\n".join(l if isinstance(l, str) else json.dumps(l, ensure_ascii=False) for l in lines) + "\n",
                    encoding="utf-8")
    return path


def test_valid_file(tmp_path):
    f = _write(tmp_path / "set.jsonl", [
        {"id": "a1", "question": " NHN 투자액은? ", "answers": ["2100억원", "2100억"], "type": "money", "note": "x"},
        "",
        {"id": "u1", "question": "삼성 투자액은?", "answers": []},
        {"id": "d1", "type": "dialogue", "turns": [{"question": "NHN 투자액은?", "answers": ["2100억원"]},
                                                   {"question": "주가는?", "answers": []}]},
    ])
    a, u, d = load_records([f])
    assert (a.id, a.dialogue, a.type, a.extra) == ("a1", False, "money", {"type": "money", "note": "x"})
    assert a.items == (Item("NHN 투자액은?", ("2100억원", "2100억")),)
    assert a.items[0].answerable
    assert u.type == "untyped" and not u.items[0].answerable
    assert d.dialogue and d.type == "dialogue" and len(d.items) == 2
    assert [i.answerable for i in d.items] == [True, False]


def test_dialogue_type_wins_over_type_field(tmp_path):
    rec = parse_record('{"id": "d2", "type": "money", "turns": [{"question": "q", "answers": ["a"]}]}')
    assert rec.type == "dialogue" and rec.extra == {"type": "money"}


def test_several_files_in_order(tmp_path):
    f1 = _write(tmp_path / "one.jsonl", [{"id": "a", "question": "q1", "answers": ["x"]}])
    f2 = _write(tmp_path / "two.jsonl", [{"id": "b", "question": "q2", "answers": ["y"]}])
    assert [r.id for r in load_records([f1, f2])] == ["a", "b"]


def test_bundled_set_loads():
    records = load_records()
    assert len(records) >= 130
    assert any(r.dialogue for r in records)
    assert any(not i.answerable for r in records for i in r.items)


def test_missing_default_set_is_explained(monkeypatch):
    monkeypatch.setattr(dataset, "DEFAULT_SET", "no-such-set.jsonl")
    with pytest.raises(InputError, match="name a JSONL file"):
        load_records()


@pytest.mark.parametrize("line, message", [
    ("{not json", "line.jsonl:2: not valid JSON"),
    ('["a", "b"]', "line.jsonl:2: expected a JSON object"),
    ('{"question": "q", "answers": []}', 'line.jsonl:2: "id" must be a non-empty string'),
    ('{"id": 3, "question": "q", "answers": []}', '"id" must be a non-empty string'),
    ('{"id": "x"}', 'needs either "question" \\+ "answers" or "turns"'),
    ('{"id": "x", "question": "q", "answers": [], "turns": []}', "not both"),
    ('{"id": "x", "question": "  ", "answers": ["a"]}', '"question" must be a non-empty string'),
    ('{"id": "x", "question": "q"}', '"answers" is missing'),
    ('{"id": "x", "question": "q", "answers": "2100억"}', '"answers" must be a list'),
    ('{"id": "x", "question": "q", "answers": ["ok", ""]}', '"answers" must be a list of non-empty strings'),
    ('{"id": "x", "question": "q", "answers": [1]}', '"answers" must be a list'),
    ('{"id": "x", "turns": []}', '"turns" must be a non-empty list'),
    ('{"id": "x", "turns": ["q"]}', "turn 1 must be an object"),
    ('{"id": "x", "turns": [{"question": "q", "answers": []}, {"question": "q2"}]}', 'turn 2: "answers" is missing'),
])
def test_invalid_record_names_file_and_line(tmp_path, line, message):
    f = tmp_path / "line.jsonl"
    f.write_text('{"id": "ok", "question": "q", "answers": ["a"]}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        load_records([f])
    assert str(err.value).startswith(f"{f}:2:")


def test_duplicate_ids_across_files(tmp_path):
    f1 = _write(tmp_path / "one.jsonl", [{"id": "a", "question": "q1", "answers": ["x"]}])
    f2 = _write(tmp_path / "two.jsonl", ["", {"id": "a", "question": "q2", "answers": ["y"]}])
    with pytest.raises(InputError, match=r"two.jsonl:2: duplicate id 'a' \(first at .*one.jsonl:1\)"):
        load_records([f1, f2])


def test_file_problems(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_records([tmp_path / "missing.jsonl"])
    with pytest.raises(InputError, match="is a folder"):
        load_records([tmp_path])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="holds no records"):
        load_records([empty])
    binary = tmp_path / "latin1.jsonl"
    binary.write_bytes('{"id": "é"}'.encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_records([binary])

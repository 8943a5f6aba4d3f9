"""Evaluation sets: JSONL files of single questions and dialogues.

One record per line:

    {"id": "a001", "question": "NHN 투자액은?", "answers": ["2100억원", "2100억"], "type": "money"}
    {"id": "d001", "turns": [{"question": "NHN 투자액은?", "answers": ["2100억원"]},
                             {"question": "기간은?", "answers": ["10년"]}]}

`answers: []` means the system must abstain. Extra keys ("type", ...) are
kept in `Record.extra`. Bad records raise `InputError` naming file:line.

    load_records(["eval/announcement.jsonl"]) -> [Record(id="a001", ...), ...]
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

DEFAULT_SET = "announcement.jsonl"


@dataclass(frozen=True)
class Item:
    """One question to ask and its acceptable answers (empty = must abstain)."""

    question: str
    answers: tuple[str, ...]

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class Record:
    """A single question (one item) or a dialogue (items asked in order, one conversation)."""

    id: str
    items: tuple[Item, ...]
    dialogue: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def type(self) -> str:
        """The breakdown label: "dialogue" for dialogues, else `type` or "untyped".

        >>> Record("a1", (Item("q", ("a",)),), extra={"type": "money"}).type
        'money'
        """
        if self.dialogue:
            return "dialogue"
        t = self.extra.get("type")
        return str(t) if t not in (None, "") else "untyped"


def default_set_path() -> Path:
    """The bundled set, found relative to the package: `<repo>/eval/announcement.jsonl`.

    The set lives in the source checkout, not in the installed package, so
    outside a checkout the user must name a file.
    """
    path = Path(__file__).resolve().parents[2] / "eval" / DEFAULT_SET
    if not path.is_file():
        raise InputError(f"the default evaluation set {path} is missing (it ships with the source checkout, "
                         f"not the installed package): name a JSONL file, e.g. `qa eval path/to/{DEFAULT_SET}`")
    return path


def load_records(paths: list[str | Path] | None = None) -> list[Record]:
    """Records of every file in order; no paths = the bundled set. Ids must be unique across files."""
    paths = [Path(p) for p in paths] if paths else [default_set_path()]
    records: list[Record] = []
    seen: dict[str, str] = {}
    for path in paths:
        for lineno, record in _read_file(path):
            where = f"{path}:{lineno}"
            if record.id in seen:
                raise InputError(f"{where}: duplicate id {record.id!r} (first at {seen[record.id]}): ids must be unique")
            seen[record.id] = where
            records.append(record)
    return records


def _read_file(path: Path):
    if not path.exists():
        raise InputError(f"evaluation file not found: {path} (check the path)")
    if path.is_dir():
        raise InputError(f"{path} is a folder: name the .jsonl files inside it")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text: save it as UTF-8 JSONL") from None
    out = []
    for lineno, line in enumerate(lines, start=1):
        if line.strip():
            out.append((lineno, parse_record(line, f"{path}:{lineno}")))
    if not out:
        raise InputError(f"{path} holds no records: write one JSON object per line")
    return out


def parse_record(line: str, where: str = "<record>") -> Record:
    """One JSONL line -> a Record, or InputError that starts with `where`.

    >>> parse_record('{"id": "u1", "question": "주가는?", "answers": []}').items[0].answerable
    False
    >>> parse_record('{"id": "x"}', "set.jsonl:3")
    Traceback (most recent call last):
    qa.errors.InputError: set.jsonl:3: a record needs either "question" + "answers" or "turns"
    """
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    rid = obj.get("id")
    if not isinstance(rid, str) or not rid.strip():
        raise InputError(f'{where}: "id" must be a non-empty string')
    has_q, has_turns = "question" in obj, "turns" in obj
    if has_q == has_turns:
        raise InputError(f'{where}: a record needs either "question" + "answers" or "turns"'
                         + (", not both" if has_q else ""))
    if has_turns:
        items = _parse_turns(obj["turns"], where)
        extra = {k: v for k, v in obj.items() if k not in ("id", "turns")}
        return Record(rid, items, dialogue=True, extra=extra)
    extra = {k: v for k, v in obj.items() if k not in ("id", "question", "answers")}
    return Record(rid, (_parse_item(obj, where),), dialogue=False, extra=extra)


def _parse_turns(turns, where: str) -> tuple[Item, ...]:
    if not isinstance(turns, list) or not turns:
        raise InputError(f'{where}: "turns" must be a non-empty list of {{"question", "answers"}} objects')
    items = []
    for i, turn in enumerate(turns, start=1):
        if not isinstance(turn, dict):
            raise InputError(f"{where}: turn {i} must be an object with \"question\" and \"answers\"")
        items.append(_parse_item(turn, f"{where}: turn {i}"))
    return tuple(items)


def _parse_item(obj: dict, where: str) -> Item:
    q = obj.get("question")
    if not isinstance(q, str) or not q.strip():
        raise InputError(f'{where}: "question" must be a non-empty string')
    if "answers" not in obj:
        raise InputError(f'{where}: "answers" is missing: list the acceptable answers, or [] if it must abstain')
    answers = obj["answers"]
    if not isinstance(answers, list) or not all(isinstance(a, str) and a.strip() for a in answers):
        raise InputError(f'{where}: "answers" must be a list of non-empty strings ([] = must abstain)')
    return Item(q.strip(), tuple(answers))

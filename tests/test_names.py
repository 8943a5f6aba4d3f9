"""Index names: one form, checked at every entry point (CLI, QA_INDEX_NAME, Settings, app, IndexStore);
a build never touches anything but the directory of its own name under the root."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import qa.index_manager
from qa.cli import main
from qa.errors import InputError, IndexStoreError, QAError
from qa.names import validate_index_name
from qa.settings import Settings
from qa.store import BuildOptions, IndexStore

BAD_NAMES = [".", "..", "../x", "/abs", "", "a/b", "a\\b", ".hidden", "-x", "_x", "a b", "a\n", "x" * 65, "인덱스",
             "a\x00b"]
GOOD_NAMES = ["default", "news-2024", "a", "A.b_c-1", "dev-a-0123456789ab", "x" * 64, "a..b"]


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_good_names_pass(name):
    assert validate_index_name(name) == name
    assert Settings(index_name=name).index_name == name


@pytest.mark.parametrize("name", BAD_NAMES + [None, 5, b"news"])
def test_bad_names_are_refused_with_the_allowed_form(name):
    with pytest.raises(InputError, match=r"invalid index name .*1-64 characters of A-Z a-z 0-9"):
        validate_index_name(name)
    with pytest.raises(InputError, match="invalid index name"):
        Settings(index_name=name)


@pytest.fixture
def root_with_two(tmp_path, tiny_corpus, fake_embedder, monkeypatch):
    """QA_INDEX_ROOT holding indexes 'one' and 'two'; the CLI builds with the fake embedder."""
    for key in list(os.environ):
        if key.startswith("QA_"):
            monkeypatch.delenv(key)
    root = tmp_path / "indexes"
    for name in ("one", "two"):
        IndexStore.build(root / name, tiny_corpus, fake_embedder, BuildOptions())
    monkeypatch.setenv("QA_INDEX_ROOT", str(root))
    monkeypatch.setattr(qa.index_manager, "make_embedder", lambda settings: fake_embedder)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("새 도서관이 3월 15일 문을 연다. 장서는 12만권이다.", encoding="utf-8")
    return root


def tree(path):
    """Every file under `path` with its bytes (what a wrong build would change)."""
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", [".", "..", "../x", "ABS", "", "a/b", "one/..", "./one"])
def test_cli_build_with_a_bad_name_changes_nothing(capsys, root_with_two, tmp_path, name):
    if name == "ABS":                       # an absolute path, inside tmp_path so the old code cannot harm anything
        name = str(tmp_path / "elsewhere" / "x")
    before = tree(tmp_path)
    rc = main(["index", "build", str(tmp_path / "docs"), "--name", name])
    out, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if line.strip()]
    assert rc == 2 and out == "", err
    assert len(lines) == 1 and lines[0].startswith("error: invalid index name"), err
    assert tree(tmp_path) == before              # the other indexes and everything beside the root
    assert sorted(p.name for p in root_with_two.iterdir()) == ["one", "two"]
    for name in ("one", "two"):
        IndexStore.load(root_with_two / name)


@pytest.mark.parametrize("command", [["index", "build"], ["search", "도서관"], ["ask", "장서는?"], ["index", "info"]])
def test_bad_name_from_the_environment_names_the_variable(capsys, root_with_two, tmp_path, monkeypatch, command):
    monkeypatch.setenv("QA_INDEX_NAME", "..")
    before = tree(tmp_path)
    rc = main(command)
    err = capsys.readouterr().err.strip()
    assert rc == 2 and err.startswith("error: invalid QA_INDEX_NAME '..'") and "\n" not in err
    assert tree(tmp_path) == before


def test_app_refuses_a_bad_index_name(root_with_two):
    # app.py is a script at the repo root, not a package module: load it by path (the `pytest` command,
    # unlike `python -m pytest`, does not put the working directory on sys.path)
    import importlib.util
    spec = importlib.util.spec_from_file_location("app", Path(__file__).resolve().parents[1] / "app.py")
    app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(app)
    with pytest.raises(SystemExit, match=r"^error: invalid index name '\.\./x'"):
        app.main(["--index", "../x"])


def test_store_build_never_replaces_the_root_or_a_foreign_directory(root_with_two, tmp_path, tiny_corpus,
                                                                   fake_embedder):
    """Defence in depth: IndexStore.build called directly with a path that is not an index's own directory."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me", encoding="utf-8")
    before = tree(tmp_path)
    for target in (root_with_two, tmp_path / "notes"):          # valid names, but not index directories
        with pytest.raises(IndexStoreError, match="is not an index"):
            IndexStore.build(target, tiny_corpus, fake_embedder, BuildOptions())
    for target in (root_with_two / "..", root_with_two / ".hidden", root_with_two / "a b"):
        with pytest.raises(InputError, match="invalid index name"):
            IndexStore.build(target, tiny_corpus, fake_embedder, BuildOptions())
    (root_with_two / "link").symlink_to(tmp_path / "notes")
    with pytest.raises(IndexStoreError, match="is a link"):
        IndexStore.build(root_with_two / "link", tiny_corpus, fake_embedder, BuildOptions())
    (root_with_two / "link").unlink()
    assert tree(tmp_path) == before


def test_load_refuses_a_bad_name(tmp_path):
    with pytest.raises(QAError, match="invalid index name"):
        IndexStore.load(tmp_path / "one" / "..")

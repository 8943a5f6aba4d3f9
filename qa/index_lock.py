"""One build of a name at a time, and what killed builds leave behind.

A build writes `ROOT/.NAME.tmp-XXXXXXXX/`, then swaps it in by two renames
(`NAME` -> `.NAME.old-MILLIS`, tmp -> `NAME`). Both steps run while the
build holds an exclusive `fcntl.flock` on `ROOT/.NAME.lock`, so:

- two builds of one name queue instead of racing in the swap;
- while a build holds the lock, any other `.NAME.tmp-*` / `.NAME.old-*`
  directory belongs to a build that died (the kernel drops a dead
  process's lock), so it is safe to remove;
- a build killed between the two renames leaves no `NAME` but a complete
  `.NAME.old-*`, which `restore_interrupted_swap` puts back.

    with build_lock(root, "news", timeout=600):
        clean_up_killed_builds(root, "news")
        ...write, swap...

The holder deletes the lock file before releasing it, so nothing stays in
the root; a waiter that then gets the lock on the deleted file sees that the
path no longer names its file and tries again (so two builds never hold
locks on two different files).
"""
from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import IndexStoreError

log = logging.getLogger(__name__)
_POLL_SECONDS = 0.05


def tmp_prefix(name: str) -> str:
    """Prefix of a build's temporary directory (tempfile.mkdtemp adds 8 characters)."""
    return f".{name}.tmp-"


def old_name(name: str) -> str:
    """Where the previous index waits during a swap."""
    return f".{name}.old-{int(time.time() * 1000)}"


def _leftover_pattern(name: str) -> re.Pattern:
    # Exact forms only: index "a" must not touch ".a.tmp-x.tmp-12345678", a leftover of index "a.tmp-x".
    return re.compile(rf"\.{re.escape(name)}\.(tmp-[a-z0-9_]{{8}}|old-[0-9]+)")


def leftovers(root: Path, name: str) -> list[Path]:
    """The temporary and old directories of builds of `name` under `root`, oldest name first."""
    if not root.is_dir():
        return []
    pattern = _leftover_pattern(name)
    return sorted(p for p in root.iterdir() if pattern.fullmatch(p.name) and p.is_dir() and not p.is_symlink())


def clean_up_killed_builds(root: Path, name: str) -> int:
    """Put back a previous index a killed swap left aside, then delete every other leftover of
    builds of `name`; the number deleted. Call only while holding the name's build lock."""
    _put_back_previous(root / name)
    found = leftovers(root, name)
    for p in found:
        shutil.rmtree(p, ignore_errors=True)
    if found:
        log.info("removed %d leftover(s) of interrupted builds of index %r: %s", len(found), name,
                 ", ".join(p.name for p in found))
    return len(found)


def _acquire(fd: int, timeout: float) -> bool:
    """Lock `fd` exclusively, polling until `timeout` seconds pass; False if it stayed busy."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(_POLL_SECONDS)


def _lock(lock: Path, timeout: float) -> int | None:
    """A descriptor holding the exclusive lock on the file at `lock`, or None after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        if not _acquire(fd, max(0.0, deadline - time.monotonic())):
            os.close(fd)
            return None
        try:
            if os.stat(lock).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)       # the previous holder deleted this file: lock the path's current one


def _unlock(lock: Path, fd: int) -> None:
    try:
        os.unlink(lock)    # while still held, see the module docstring
    finally:
        os.close(fd)       # closing the descriptor releases the lock


@contextmanager
def build_lock(root: Path, name: str, timeout: float) -> Iterator[None]:
    """Hold `root/.name.lock`; a concurrent build of `name` waits up to `timeout` s, then IndexStoreError."""
    root.mkdir(parents=True, exist_ok=True)
    lock = root / f".{name}.lock"
    fd = _lock(lock, 0)
    if fd is None:
        log.warning("another build of index %r is writing it: waiting (up to %g s)", name, timeout)
        fd = _lock(lock, timeout)
    if fd is None:
        raise IndexStoreError(
            f"another build of index {name!r} held {lock} for over {timeout:g} s: wait for it to "
            f"finish (or stop it) and run `qa index build --name {name}` again")
    try:
        yield
    finally:
        _unlock(lock, fd)


def restore_interrupted_swap(path: Path) -> bool:
    """Put back the previous index when a build died between its two renames; True if it did.

    Only when no build of the name is running (the lock is free right now)
    and `path` is absent; the newest complete `.NAME.old-*` comes back.
    """
    root, name = path.parent, path.name
    if path.exists() or not _complete_olds(root, name):
        return False
    lock = root / f".{name}.lock"
    fd = _lock(lock, 0)
    if fd is None:                             # a build is running: it will put an index in place
        return False
    try:
        return _put_back_previous(path)        # checked again, now that no build can move things
    finally:
        _unlock(lock, fd)


def _put_back_previous(path: Path) -> bool:
    """Under the lock: when `path` is absent, rename the newest complete `.NAME.old-*` to it."""
    olds = _complete_olds(path.parent, path.name)
    if path.exists() or not olds:
        return False
    newest = max(olds, key=lambda p: int(p.name.rsplit("-", 1)[1]))
    newest.rename(path)
    log.warning("index %r: a build was killed mid-swap; restored the previous index from %s",
                path.name, newest.name)
    return True


def _complete_olds(root: Path, name: str) -> list[Path]:
    return [p for p in leftovers(root, name) if ".old-" in p.name and (p / "manifest.json").is_file()]

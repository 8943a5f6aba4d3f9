"""Starting or joining Ray: a start-up timeout is tried once more, then one clear error (a fake `ray` module)."""
from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from qa.engines.ray_build import START_TRIES, init_ray
from qa.errors import IndexStoreError

TIMEOUT = Exception("The current node timed out during startup. This could happen because some of the raylet "
                    "failed to startup or the GCS has become overloaded.")


def fake_ray(monkeypatch, *failures):
    """A `ray` whose init raises `failures` in turn, then succeeds; it records its calls."""
    calls, left = [], list(failures)
    context = SimpleNamespace(enable_progress_bars=True)

    def init(**kwargs):
        calls.append(("init", kwargs))
        if left:
            raise left.pop(0)

    ray = SimpleNamespace(is_initialized=lambda: False, init=init, shutdown=lambda: calls.append(("shutdown", {})),
                          data=SimpleNamespace(DataContext=SimpleNamespace(get_current=lambda: context)))
    monkeypatch.setitem(sys.modules, "ray", ray)
    return ray, calls, context


def test_a_start_that_timed_out_is_tried_once_more(monkeypatch, caplog):
    ray, calls, context = fake_ray(monkeypatch, TIMEOUT)
    assert init_ray("local") is ray
    assert [c for c, _ in calls] == ["init", "shutdown", "init"]
    assert calls[0][1]["num_cpus"] == calls[2][1]["num_cpus"] == 2
    assert context.enable_progress_bars is False
    assert "trying once more" in caplog.text


def test_repeated_timeouts_are_one_clear_error(monkeypatch):
    _, calls, _ = fake_ray(monkeypatch, *[TIMEOUT] * START_TRIES)
    with pytest.raises(IndexStoreError, match="did not start in 2 tries .*ray start --head"):
        init_ray("local")
    assert [c for c, _ in calls].count("init") == START_TRIES


def test_a_cluster_that_refuses_us_is_not_retried(monkeypatch):
    _, calls, _ = fake_ray(monkeypatch, ConnectionError("no GCS at 10.0.0.9:6379"))
    with pytest.raises(IndexStoreError, match="cannot join the Ray cluster at 10.0.0.9:6379 .*no GCS"):
        init_ray("10.0.0.9:6379")
    assert [c for c, _ in calls] == ["init"]


def test_without_the_scale_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)          # import ray -> ImportError
    with pytest.raises(IndexStoreError, match=r"pip install -e \"\.\[scale\]\""):
        init_ray("local")

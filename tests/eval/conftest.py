"""Scripts under eval/ are not a package: tests load them by path."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parents[2] / "eval"


@pytest.fixture(scope="session")
def eval_script():
    """load("train_hybrid") -> eval/train_hybrid.py as a module.

    The module is registered in sys.modules while the session runs (dataclasses look their
    module up by name) and removed at its end.
    """
    loaded: list[str] = []

    def load(name: str):
        spec = importlib.util.spec_from_file_location(name, EVAL / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        loaded.append(name)
        spec.loader.exec_module(module)
        return module

    yield load
    for name in loaded:
        sys.modules.pop(name, None)

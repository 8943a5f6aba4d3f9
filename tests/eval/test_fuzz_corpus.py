"""eval/fuzz_corpus.py: every kind of hostile request, in turn, the same for a seed."""
import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "eval" / "fuzz_corpus.py"


def load():
    spec = importlib.util.spec_from_file_location("fuzz_corpus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_corpus"] = module     # dataclasses look their module up by name
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop("fuzz_corpus", None)
    return module


def test_every_kind_in_turn_and_deterministic():
    fc = load()
    probes = fc.fuzz_corpus(24, seed=3)
    assert len(probes) >= 24 and len({p.kind for p in probes[:12]}) == 12
    assert probes == fc.fuzz_corpus(24, seed=3)
    assert probes != fc.fuzz_corpus(24, seed=4)

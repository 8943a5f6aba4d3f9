"""eval/fuzz_corpus.py: every kind of hostile request, in turn, the same for a seed."""


def test_every_kind_in_turn_and_deterministic(eval_script):
    fc = eval_script("fuzz_corpus")
    probes = fc.fuzz_corpus(24, seed=3)
    assert len(probes) >= 24 and len({p.kind for p in probes[:12]}) == 12
    assert probes == fc.fuzz_corpus(24, seed=3)
    assert probes != fc.fuzz_corpus(24, seed=4)

"""Windows over long contexts keep exact char offsets; answer spans map to token positions."""
import pytest

from qa.reader.neural.windows import (BOS, EOS, FakeTokenizer, Window, best_run, context_room, encode_plain,
                                     make_windows, question_ids, tokens_per_span)


def test_windows_cover_the_context_with_overlap():
    ctx = " ".join(f"단어{i}" for i in range(30))
    ws = make_windows(FakeTokenizer(), "질문 하나?", ctx, max_len=16, stride=5)
    assert all(len(w.ids) <= 16 for w in ws)
    assert all(w.ids[0] == BOS and w.ids[-1] == EOS for w in ws)
    covered = {o for w in ws for o in w.offsets}
    assert len(covered) == 30                                   # every word is in some window
    assert ws[0].offsets[5] == ws[1].offsets[0]                 # the next window starts `stride` tokens on
    for w in ws:
        for a, b in w.offsets:
            assert ctx[a:b].startswith("단어")


def test_token_span_inside_and_outside_a_window():
    w = Window((0, 7, 2, 2, 10, 11, 12, 2), 4, ((0, 2), (3, 6), (7, 9)))
    assert w.token_span(3, 6) == (5, 5)
    assert w.token_span(0, 9) == (4, 6)
    assert w.token_span(4, 5) == (5, 5)                         # a part of a token maps to that token
    assert w.token_span(8, 12) is None                          # runs past the window
    assert Window((0, 2, 2, 2), 3, ()).token_span(0, 1) is None


def test_question_is_cut_and_room_checked():
    long_q = " ".join(["말"] * 100)
    w = make_windows(FakeTokenizer(), long_q, "가 나", max_len=64, max_question=10)[0]
    assert w.ctx_first == 1 + 10 + 2
    with pytest.raises(ValueError, match="no room"):
        make_windows(FakeTokenizer(), long_q, "가", max_len=14, max_question=10)


@pytest.mark.parametrize("words, windows", [(10, 1), (11, 2)])
def test_context_room_is_what_one_window_holds(words, windows):
    q = "질문 하나?"
    room = context_room(len(question_ids(FakeTokenizer(), q)), max_len=16)
    assert room == 10
    assert len(make_windows(FakeTokenizer(), q, " ".join(["말"] * words), max_len=16, stride=5)) == windows


def test_tokens_per_span_counts_the_tokens_starting_in_each_sentence():
    text = "가 나 다. 라 마."
    _, offsets = encode_plain(FakeTokenizer(), text)
    assert tokens_per_span([(0, 6), (7, 11)], offsets) == [3, 2]


def test_best_run_fits_the_room_keeps_the_kept_item_and_prefers_more_context():
    assert best_run([5, 5, 5], [0.0, 1.0, 0.2], room=10) == (1, 2)
    assert best_run([5, 5, 5], [0.0, 1.0, 0.2], room=10, keep=0) == (0, 1)
    assert best_run([5, 5, 5], [0.0, 0.0, 0.0], room=10) == (0, 1)         # ties: more tokens, then earliest
    assert best_run([5, 5, 5], [1.0, 0.0, 1.0], room=15) == (0, 2)
    assert best_run([12, 5], [1.0, 0.0], room=10, keep=0) is None           # the kept item alone overflows
    assert best_run([], [], room=10) is None

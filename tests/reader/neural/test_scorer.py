"""The torch span scorer on a tiny random-weight BERT, and the weights' manifest checks."""
import json

import pytest

torch = pytest.importorskip("torch")

from qa.errors import ModelError  # noqa: E402
from qa.reader.neural.model import SpanModel  # noqa: E402
from qa.reader.neural.scorer import TorchSpanScorer, load_span_scorer, read_manifest  # noqa: E402
from qa.reader.neural.windows import FakeTokenizer  # noqa: E402


def _tiny_model(first_trained=1):
    from transformers import BertConfig, BertModel
    torch.manual_seed(0)
    config = BertConfig(vocab_size=400, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=128, pad_token_id=1)
    return SpanModel(BertModel(config, add_pooling_layer=False).eval(), first_trained)


def test_predictions_are_spans_of_each_context():
    scorer = TorchSpanScorer(_tiny_model(), FakeTokenizer(), max_len=24, stride=6)
    contexts = ["광주 에 국가 AI 데이터센터 를 짓는다", " ".join(f"낱말{i}" for i in range(40))]
    preds = scorer.predict("누가 짓나?", contexts, top=5)
    assert len(preds) == 2 and all(0 < len(p) <= 5 for p in preds)
    for ctx, ps in zip(contexts, preds):
        assert [p.score for p in ps] == sorted((p.score for p in ps), reverse=True)
        assert len({(p.start, p.end) for p in ps}) == len(ps)
        for p in ps:
            assert 0 <= p.start < p.end <= len(ctx) and ctx[p.start:p.end].strip()
    assert preds == scorer.predict("누가 짓나?", contexts, top=5)        # deterministic


def test_windows_of_other_lengths_run_apart_and_predict_the_same():
    scorer = TorchSpanScorer(_tiny_model(), FakeTokenizer(), max_len=24, stride=6)
    shapes, logits = [], scorer.logits
    scorer.logits = lambda ids, mask: shapes.append(ids.shape) or logits(ids, mask)
    contexts = ["광주 에 짓는다", " ".join(f"낱말{i}" for i in range(18))]    # windows of 9 and 24 tokens
    split = scorer.predict("누가 짓나?", contexts, top=5)
    assert sorted(shapes) == [(1, 9), (1, 24)]          # padding 9 to 24 would run 1.45x the real tokens
    scorer.logits = logits
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("qa.reader.neural.scorer.SLACK", float("inf"))        # everything in one padded batch
        padded = scorer.predict("누가 짓나?", contexts, top=5)
    # Padding is masked: the same spans; the scores agree to float32 rounding, not always to the bit
    # (on AVX-512 CPUs torch picks other kernels for another batch shape: 1e-7 apart, seen here).
    assert [[(p.start, p.end) for p in ps] for ps in padded] == [[(p.start, p.end) for p in ps] for ps in split]
    for ps, qs in zip(padded, split):
        for p, q in zip(ps, qs):
            assert p.score == pytest.approx(q.score, abs=1e-5) and p.null == pytest.approx(q.null, abs=1e-5)


def test_context_tokens_are_remembered_for_a_bounded_number_of_contexts(monkeypatch):
    scorer = TorchSpanScorer(_tiny_model(), FakeTokenizer(), max_len=24, stride=6)
    monkeypatch.setattr("qa.reader.neural.scorer.TOKEN_CACHE", 2)
    calls, encode = [], scorer.tokenizer.encode
    scorer.tokenizer.encode = lambda text, **kw: calls.append(text) or encode(text, **kw)
    first = scorer.windows("누가 짓나?", ["광주 에 짓는다", "나주 에 짓는다"])
    assert scorer.windows("어디 에?", ["광주 에 짓는다"])[0][1].offsets == first[0][1].offsets
    assert calls.count("광주 에 짓는다") == 1                       # the passage was tokenized once
    scorer.windows("누가?", ["셋째 문단"])
    assert list(scorer._tokens) == ["광주 에 짓는다", "셋째 문단"]      # the least recently read left first


def test_context_tokens_survive_threads(monkeypatch):
    import threading
    monkeypatch.setattr("qa.reader.neural.scorer.TOKEN_CACHE", 8)
    scorer = TorchSpanScorer(_tiny_model(), FakeTokenizer(), max_len=24, stride=6)
    errors = []

    def ask(k):
        try:
            for i in range(2000):
                assert scorer.context_tokens(f"문단 {k} {i % 37}")[1][0] == (0, 2)
        except Exception as e:          # a server's threads share one scorer
            errors.append(e)
    threads = [threading.Thread(target=ask, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(scorer._tokens) == 8


def test_asked_spans_are_scored_from_the_same_runs():
    scorer = TorchSpanScorer(_tiny_model(), FakeTokenizer(), max_len=24, stride=6)
    contexts = ["광주 에 국가 AI 데이터센터 를 짓는다", " ".join(f"낱말{i}" for i in range(40))]
    runs, logits = [], scorer.logits
    scorer.logits = lambda ids, mask: runs.append(ids.shape) or logits(ids, mask)
    preds = scorer.predict("누가 짓나?", contexts, top=5)
    plain, runs[:] = list(runs), []
    asked = [[(p.start, p.end) for p in ps] + [(0, len(c))] for ps, c in zip(preds, contexts)]
    again, scores = scorer.predict_and_score("누가 짓나?", contexts, 5, asked)
    assert again == preds and runs == plain                  # no model run beyond predict()'s
    for ps, got in zip(preds, scores):         # a predicted span's score is the one predict() gave it
        assert got[:len(ps)] == pytest.approx([p.score for p in ps])
    assert scores[0][-1] is not None and scores[1][-1] is None    # no window holds the long context whole


def test_trained_state_round_trips_only_the_top_layers():
    a, b = _tiny_model(), _tiny_model()
    torch.nn.init.normal_(a.head.weight)
    state = a.trained_state()
    assert {k.split(".")[0] for k in state} == {"head", "layer"}
    assert not any(k.startswith("layer.0.") for k in state)            # layer 0 is frozen, never shipped
    b.load_trained_state({k: v.half() for k, v in state.items()})
    ids = torch.tensor([[0, 11, 2, 2, 12, 13, 2]])
    mask = torch.ones_like(ids)
    sa, _ = a(ids, mask)
    sb, _ = b(ids, mask)
    assert torch.allclose(sa, sb, atol=1e-2)
    frozen = [p.requires_grad for p in a.bert.encoder.layer[0].parameters()]
    assert not any(frozen) and all(p.requires_grad for p in a.bert.encoder.layer[1].parameters())


def test_manifest_errors_say_how_to_fix(tmp_path):
    with pytest.raises(ModelError, match="span_model.json is missing.*train_neural_reader"):
        read_manifest(tmp_path / "span_model.json")
    bad = tmp_path / "span_model.json"
    bad.write_text('{"weights": 3}', encoding="utf-8")
    with pytest.raises(ModelError, match="corrupt"):
        read_manifest(bad)
    bad.write_text(json.dumps({"first_trained_layer": 6, "weights": {"file": "w.safetensors", "sha256": "0" * 64},
                               "base": {"file": "e5-small-q4.bin", "sha256": "0" * 64}}), encoding="utf-8")
    with pytest.raises(ModelError, match="weights .* are missing"):
        load_span_scorer(bad, engine="torch")
    (tmp_path / "w.safetensors").write_bytes(b"not the trained weights")
    with pytest.raises(ModelError, match="do not match the sha256"):
        load_span_scorer(bad, engine="torch")


@pytest.mark.parametrize("int8", [False, True])
def test_onnx_export_matches_torch(tmp_path, int8):
    pytest.importorskip("onnxruntime")
    import numpy as np
    import onnx
    import onnxruntime as ort

    from qa.embedding.onnx_export import EMBEDDINGS
    from qa.reader.neural.onnx_scorer import META, OnnxSpanScorer, verify, write_span_onnx

    class SavingTokenizer(FakeTokenizer):
        def save(self, path):
            open(path, "w").write("{}")

    model = _tiny_model()
    torch.nn.init.normal_(model.head.weight, std=0.5)
    folder = write_span_onnx(model, SavingTokenizer(), {"weights_sha256": "ab" * 32}, tmp_path / "span", int8)
    assert (folder / META).is_file() and not list(tmp_path.glob(".span.tmp-*"))
    graph = onnx.load(str(folder / "model.onnx")).graph
    ops = {n.op_type for n in graph.node}
    assert ("MatMulInteger" in ops) == int8 and "MatMul" in ops        # float32 keeps every MatMul float
    # the word embeddings live beside the graph, which reads the looked-up rows
    table = np.load(folder / EMBEDDINGS, mmap_mode="r")
    assert table.shape == (400, 32) and table.dtype == np.float16
    assert "word_vectors" in {i.name for i in graph.input} and not any(
        t.dims[:1] == [400] for t in graph.initializer)
    manifest = {"weights": {"sha256": "ab" * 32}}
    verify(folder, manifest, int8=int8)
    with pytest.raises(ModelError, match="other weights"):
        verify(folder, manifest, int8=not int8)                          # an export of the other precision
    session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
    onnx_scorer = OnnxSpanScorer(session, FakeTokenizer(), table, max_len=24, stride=6)
    torch_scorer = TorchSpanScorer(model, FakeTokenizer(), max_len=24, stride=6)
    ids = np.array([[0, 11, 2, 2, 12, 13, 14, 2, 1]], dtype=np.int64)
    mask = np.array([[1, 1, 1, 1, 1, 1, 1, 1, 0]], dtype=np.int64)
    (a, _), (b, _) = onnx_scorer.logits(ids, mask), torch_scorer.logits(ids, mask)
    assert np.corrcoef(a[0, :8], b[0, :8])[0, 1] > 0.98
    if not int8:      # float32 differs from torch only by the float16 word embeddings
        assert np.abs(a[0, :8] - b[0, :8]).max() < 0.05
    with pytest.raises(ModelError, match="other weights"):
        verify(folder, {"weights": {"sha256": "cd" * 32}}, int8=int8)
    for name in ("model.onnx", EMBEDDINGS):
        kept = (folder / name).read_bytes()
        (folder / name).write_bytes(b"cut short")
        with pytest.raises(ModelError, match=f"incomplete or corrupt \\({name}\\)"):
            verify(folder, manifest, checksum=False, int8=int8)
        (folder / name).write_bytes(kept)
    verify(folder, manifest, int8=int8)                                 # whole again, checksums too


def test_lazy_onnx_scorer_opens_on_first_use_and_refuses_a_damaged_file(tmp_path):
    pytest.importorskip("onnxruntime")
    from qa.embedding.unigram import UnigramTokenizer
    from qa.reader.neural.onnx_scorer import TOKENIZER, LazyOnnxSpanScorer, write_span_onnx

    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁광주", "에", "▁AI", "▁센터"]
    tokenizer = UnigramTokenizer(pieces, [0.0] * 4 + [-5.0, -2.0, -3.0, -2.0, -2.0], unk=3, bos=0, eos=2,
                                 norm_map={}, control=(1,))   # the lazy scorer loads the file it writes
    folder = write_span_onnx(_tiny_model(), tokenizer, {"weights_sha256": "ab" * 32}, tmp_path / "span")
    scorer = LazyOnnxSpanScorer(folder, 1, max_len=24, stride=6)
    assert scorer.session is None and scorer.tokenizer is None          # nothing opened yet
    preds = scorer.predict("어디에?", ["광주 에 AI 센터"], top=3)
    assert scorer.session is not None and len(preds) == 1 and preds[0]
    for name in ("model.onnx", TOKENIZER):
        damaged = folder / name
        damaged.write_bytes(b"\0" * damaged.stat().st_size)            # same size: verify() passes it
        with pytest.raises(ModelError, match="does not load.*delete"):
            LazyOnnxSpanScorer(folder, 1).warm()


def test_an_export_of_an_older_format_is_written_again_and_a_newer_one_refused(tmp_path):
    pytest.importorskip("onnxruntime")
    from qa.reader.neural.onnx_scorer import FORMAT, META, _older_format, verify

    folder = tmp_path / "span"
    folder.mkdir()
    for found, older in ((FORMAT - 1, True), (FORMAT, False), (FORMAT + 1, False), ("2", False), (True, False)):
        (folder / META).write_text(json.dumps({"format": found}), encoding="utf-8")
        assert _older_format(folder) == older, found
    (folder / META).write_text("{not json", encoding="utf-8")
    assert not _older_format(folder)
    newer = {"format": FORMAT + 1, "weights_sha256": "ab" * 32, "precision": "fp32"}
    (folder / META).write_text(json.dumps(newer))
    with pytest.raises(ModelError, match=f"another version.*format {FORMAT + 1}"):   # a newer export is not this code's to read
        verify(folder, {"weights": {"sha256": "ab" * 32}})


def test_window_room_names_the_room_of_one_window_and_the_context_tokens():
    scorer = TorchSpanScorer(_tiny_model(), FakeTokenizer(), max_len=24, stride=6)
    q = "누가 짓나?"
    room, offsets = scorer.window_room(q, "광주 에 국가 AI")
    assert offsets == [(0, 2), (3, 4), (5, 7), (8, 10)]
    assert len(scorer.windows(q, [" ".join(["말"] * room)])) == 1
    assert len(scorer.windows(q, [" ".join(["말"] * (room + 1))])) == 2

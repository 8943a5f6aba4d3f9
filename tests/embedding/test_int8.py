"""Our MatMul int8 quantizer writes what onnxruntime's quantize_dynamic writes (tiny random BERT)."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
ort = pytest.importorskip("onnxruntime")
onnx = pytest.importorskip("onnx")

from onnx import helper, numpy_helper  # noqa: E402

from qa.embedding.int8 import quantize_columns, quantize_int8, quantize_matmuls  # noqa: E402


@pytest.fixture(scope="module")
def fp32(tmp_path_factory) -> str:
    """The float32 graph the export traces (int8=False) of test_onnx_backend's tiny random BERT."""
    from qa.embedding.onnx_export import META, _mean_pooled, write_onnx_folder

    from .test_onnx_backend import _bert, _tokenizer
    folder = write_onnx_folder(_mean_pooled(_bert()), {"mean": {0: "batch"}}, _tokenizer(), {}, META,
                               tmp_path_factory.mktemp("int8") / "fp32", int8=False)
    return str(folder / "model.onnx")


def _run(model, ids):
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0]



def test_same_weights_and_outputs_as_onnxruntime(fp32, tmp_path):
    from onnxruntime.quantization import QuantType, quantize_dynamic
    quantize_dynamic(fp32, str(tmp_path / "ort.onnx"), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul"])
    theirs = onnx.load(str(tmp_path / "ort.onnx"))
    ours = quantize_int8(onnx.load(fp32))
    ops = [n.op_type for n in ours.graph.node]
    assert ops.count("MatMulInteger") == 12 and ops.count("MatMul") == 4    # 6 a layer quantized, attention's 2 not
    ours_w = {t.name: numpy_helper.to_array(t) for t in ours.graph.initializer}
    theirs_w = {t.name: numpy_helper.to_array(t) for t in theirs.graph.initializer}
    quantized = [n for n in ours_w if n.endswith("_quantized")]
    assert len(quantized) == 12
    for name in quantized + [n.replace("_quantized", "_scale") for n in quantized]:
        np.testing.assert_array_equal(ours_w[name], theirs_w[name], err_msg=name)   # bit for bit
    assert ops.count("DynamicQuantizeLinear") == sum(n.op_type == "DynamicQuantizeLinear" for n in theirs.graph.node)
    from .test_onnx_backend import WORDS
    ids = np.random.default_rng(0).integers(0, len(WORDS), size=(3, 11))
    np.testing.assert_array_equal(_run(ours, ids), _run(theirs, ids))     # the same graph once optimized
    float_left = [t for t in ours.graph.initializer if t.data_type == onnx.TensorProto.FLOAT and len(t.dims) == 2
                  and t.name.startswith("onnx::MatMul")]
    assert not float_left                           # the float weights it replaced are gone


def test_only_constant_2d_float_matrices_are_quantized(tmp_path):
    from onnxruntime.quantization import QuantType, quantize_dynamic
    w = numpy_helper.from_array(np.random.default_rng(1).normal(size=(4, 3)).astype(np.float32), "w")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"]), helper.make_node("MatMul", ["y", "z"], ["out"])], "g",
        [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [2, 4]),
         helper.make_tensor_value_info("z", onnx.TensorProto.FLOAT, [3, 5])],
        [helper.make_tensor_value_info("out", onnx.TensorProto.FLOAT, [2, 5])], [w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, str(tmp_path / "fp32.onnx"))
    assert quantize_matmuls(model) == 1
    assert [n.op_type for n in model.graph.node].count("MatMul") == 1          # y @ z: z is an input
    quantize_dynamic(str(tmp_path / "fp32.onnx"), str(tmp_path / "ort.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True, op_types_to_quantize=["MatMul"])
    feed = {"x": np.random.default_rng(2).normal(size=(2, 4)).astype(np.float32), "z": np.eye(3, 5, dtype=np.float32)}
    ours, theirs = (ort.InferenceSession(m, providers=["CPUExecutionProvider"]).run(None, feed)[0]
                    for m in (model.SerializeToString(), str(tmp_path / "ort.onnx")))
    np.testing.assert_array_equal(ours, theirs)


def test_an_all_zero_column_gets_scale_one():
    q, scale = quantize_columns(np.array([[0.0, 1.0], [0.0, -0.5]], np.float32))
    assert scale[0] == 1.0 and q[:, 0].tolist() == [0, 0] and q[:, 1].tolist() == [127, -64]

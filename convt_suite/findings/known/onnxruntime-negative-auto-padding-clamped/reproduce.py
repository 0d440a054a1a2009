# Where the total padding t is negative, ONNX Runtime clamps it to 0 instead of extending the output:
# (a) SAME_UPPER, I=3, K=1, S=2 gives length L=5, not I*S=6; (b) SAME_UPPER with output_shape 2, I=1,
# K=1, S=2 (t=-1, begin=-1//2=-1) puts the zero at the end, not first. onnx's reference follows the spec.
import sys

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

ort.set_default_logger_severity(4)


def run(x, rank=2, **attrs):
    """ONNX Runtime, then (2-D only, as before) onnx's reference, on 4-D (NCHW) inputs; rank 1 / 3:
    3-D (NCW) / 5-D (NCDHW). x is the input along the first spatial axis; the results keep their shape."""
    ones = [1] * (rank - 1)
    if "output_shape" in attrs:
        attrs["output_shape"] = attrs["output_shape"][:1] + ones
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[1] + ones, strides=[2] + ones,
                            auto_pad="SAME_UPPER", **attrs)
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    feed = {"x": x.reshape([1, 1, x.size] + ones), "w": w.reshape([1, 1, 1] + ones)}
    out = []
    for fn in (lambda: ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
               .run(None, feed)[0],
               lambda: ReferenceEvaluator(model).run(None, feed)[0])[:2 if rank == 2 else 1]:
        try:
            out.append(fn())
        except Exception as err:
            out.append(f"{type(err).__name__}: {str(err).split('Status Message: ')[-1][:150]}")
    return out


def flat(r):
    return r if isinstance(r, str) else r.ravel()


def spec(x, out_len):                        # K=1, S=2: full = x at even places; t = L - O, begin = t//2
    full = np.zeros(2 * len(x) - 1, np.float32)
    full[::2] = x
    t = len(full) - out_len
    begin, end = t // 2, t - t // 2
    return np.concatenate([np.zeros(max(-begin, 0)), full[max(begin, 0):len(full) - max(end, 0)],
                           np.zeros(max(-end, 0))]).astype(np.float32)


w = np.float32([10]).reshape(1, 1, 1, 1)
a_ort, a_ref = map(flat, run(np.float32([1, 2, 3])))
b_ort, b_ref = map(flat, run(np.float32([3]), output_shape=[2, 1]))
print("(a) SAME_UPPER, I=3, S=2: onnxruntime", a_ort, "| reference", a_ref, "| the spec:", spec([10, 20, 30], 6))
print("(b) output_shape 2, I=1, S=2: onnxruntime", b_ort, "| reference", b_ref, "| the spec:", spec([30], 2))

in_rank = {rank: (run(np.float32([1, 2, 3]), rank)[0], run(np.float32([3]), rank, output_shape=[2, 1])[0])
           for rank in (1, 3)}
for rank, (a_r, b_r) in in_rank.items():
    print(f"{rank}-D: (a) onnxruntime", a_r if isinstance(a_r, str) else f"shape {a_r.shape} {a_r.ravel()}",
          "| (b) onnxruntime", b_r if isinstance(b_r, str) else f"shape {b_r.shape} {b_r.ravel()}")
ranks_hold = all(not isinstance(a_r, str) and a_r.shape[2:] == (5,) + (1,) * (rank - 1)
                 and not isinstance(b_r, str) and b_r.ravel().tolist() == [30.0, 0.0]
                 for rank, (a_r, b_r) in in_rank.items())
if (not isinstance(a_ort, str) and len(a_ort) == 5 and ranks_hold
        and not isinstance(b_ort, str) and b_ort.tolist() == [30.0, 0.0]):
    print("REPRODUCED: ONNX Runtime clamps a negative total padding to 0 (length 5; [30 0]), in 1-D, 2-D, 3-D")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

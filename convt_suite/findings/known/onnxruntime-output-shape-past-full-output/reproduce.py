# ONNX Runtime refuses an output_shape longer than L + S - 1, though the spec's pads formula
# (t = L - O, negative pads: zeros appended) defines it: I=3, K=3, S=2, L=7, output_shape 9.
import sys

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper

ort.set_default_logger_severity(4)
x, w = np.float32([1, 2, 3]).reshape(1, 1, 3, 1), np.float32([1, 10, 100]).reshape(1, 1, 3, 1)
full = np.zeros(7, np.float32)               # L = (3-1)*2 + (3-1) + 1 = 7
for i in range(3):
    for k in range(3):
        full[2 * i + k] += x.ravel()[i] * w.ravel()[k]


def run(out_len, rank=2):
    """On 4-D (NCHW) inputs; rank 1 / 3: the same call on 3-D (NCW) or 5-D (NCDHW) inputs."""
    ones = [1] * (rank - 1)
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[3] + ones, strides=[2] + ones,
                            output_shape=[out_len] + ones)
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    try:
        sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
        return sess.run(None, {"x": x.reshape([1, 1, 3] + ones), "w": w.reshape([1, 1, 3] + ones)})[0].ravel()
    except Exception as err:
        return f"{type(err).__name__}: {str(err).split('Status Message: ')[-1][:150]}"


eight, nine = run(8), run(9)
# t = L - O; begin = t - t//2, end = t//2: O=8 -> (0, -1), O=9 -> (-1, -1)
print("output_shape 8:", eight, "(the spec:", np.append(full, 0), ")")
print("output_shape 9:", nine, "(the spec:", np.concatenate([[0], full, [0]]).astype(np.float32), ")")


in_rank = {rank: (run(8, rank), run(9, rank)) for rank in (1, 3)}
for rank, (eight_r, nine_r) in in_rank.items():
    print(f"{rank}-D: output_shape 8:", eight_r, f"| {rank}-D: output_shape 9:", nine_r)
ranks_hold = all(isinstance(nine_r, str) and "output_shape is inconsistent" in nine_r
                 and not isinstance(eight_r, str) and np.array_equal(eight_r, np.append(full, 0))
                 for eight_r, nine_r in in_rank.values())
if isinstance(nine, str) and not isinstance(eight, str) and ranks_hold:
    print("REPRODUCED: ONNX Runtime refuses output_shape 9 > L + S - 1 = 8, and computes 8 (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

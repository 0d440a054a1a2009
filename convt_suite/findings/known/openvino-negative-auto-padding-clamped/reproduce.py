# Where SAME_UPPER's or output_shape's total padding t is negative, OpenVINO's ONNX frontend and
# CPU plugin clamp it to 0, as ONNX Runtime does (finding onnxruntime-negative-auto-padding-clamped):
# (a) SAME_UPPER, I=3, K=1, S=2 gives L=5 outputs, not I*S=6 (its read_model declares 5 too);
# (b) SAME_UPPER with output_shape 2, I=1, K=1, S=2 (t=-1, begin=-1//2=-1) puts the zero at the end.
import sys

import numpy as np
import openvino as ov
from onnx import TensorProto, helper

core = ov.Core()


def run(x, rank=2, **attrs):
    """OpenVINO on the node with static shapes (N, C, len(x), 1, ...): (declared shape, output)."""
    ones = [1] * (rank - 1)
    if "output_shape" in attrs:
        attrs["output_shape"] = attrs["output_shape"][:1] + ones
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[1] + ones, strides=[2] + ones,
                            auto_pad="SAME_UPPER", **attrs)
    shapes = {"x": [1, 1, x.size] + ones, "w": [1, 1, 1] + ones}
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, shapes[n]) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    read = core.read_model(model.SerializeToString(), b"")
    declared = list(read.output(0).get_partial_shape().to_shape())
    y = core.compile_model(read, "CPU")([x.reshape(shapes["x"]), np.float32([10]).reshape(shapes["w"])])[0]
    return declared, y


def spec(x, out_len):                        # K=1, S=2: full = x at even places; t = L - O, begin = t//2
    full = np.zeros(2 * len(x) - 1, np.float32)
    full[::2] = x
    t = len(full) - out_len
    begin, end = t // 2, t - t // 2
    return np.concatenate([np.zeros(max(-begin, 0)), full[max(begin, 0):len(full) - max(end, 0)],
                           np.zeros(max(-end, 0))]).astype(np.float32)


print("openvino", ov.get_version())
holds = []
for rank in (1, 2, 3):
    (a_declared, a), (_, b) = run(np.float32([1, 2, 3]), rank), run(np.float32([3]), rank, output_shape=[2, 1])
    print(f"{rank}-D: (a) SAME_UPPER, I=3, S=2: declared {a_declared}, got {a.ravel()} | the spec: "
          f"{spec([10, 20, 30], 6)}; (b) output_shape 2, I=1: got {b.ravel()} | the spec: {spec([30], 2)}")
    holds.append(a.shape[2] == 5 and a_declared[2] == 5 and b.ravel().tolist() == [30.0, 0.0])
if all(holds):
    print("REPRODUCED: OpenVINO clamps a negative total padding to 0 (length 5, declared 5; [30 0]), "
          "in 1-D, 2-D and 3-D")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

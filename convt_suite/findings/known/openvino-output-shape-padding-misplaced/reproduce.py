# Given output_shape, ONNX splits the total padding t = L + output_padding - O between the ends:
# begin = t // 2 under SAME_UPPER, t - t // 2 otherwise (NOTSET, SAME_LOWER). OpenVINO splits it
# otherwise: (a) with group > 1 it crops all of t from the end; (b) with group 1 and SAME_UPPER it
# puts the odd one first. x = 1 2 3, kernel 1 10 100 (L = 5), output_shape 4 (t = 1): the spec
# gives [12 123 230 300] (NOTSET) and [1 12 123 230] (SAME_UPPER); ONNX Runtime agrees.
import sys

import numpy as np
import onnxruntime as ort
import openvino as ov
from onnx import TensorProto, helper

ort.set_default_logger_severity(4)
core = ov.Core()


def run(rank, group, auto_pad):
    """OpenVINO's and ONNX Runtime's first channel along the first axis (the others have length 1)."""
    ones = [1] * (rank - 1)
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[3] + ones, output_shape=[4] + ones,
                            group=group, auto_pad=auto_pad)
    info = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, group, 3] + ones),
            helper.make_tensor_value_info("w", TensorProto.FLOAT, [group, 1, 3] + ones)]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    x = np.tile(np.float32([1, 2, 3]), group).reshape([1, group, 3] + ones)
    w = np.tile(np.float32([1, 10, 100]), group).reshape([group, 1, 3] + ones)
    by_ov = core.compile_model(core.read_model(model.SerializeToString(), b""), "CPU")([x, w])[0]
    by_ort = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(
        None, {"x": x, "w": w})[0]
    return by_ov[0, 0].ravel(), by_ort[0, 0].ravel()


SPEC = {"NOTSET": [12, 123, 230, 300], "SAME_UPPER": [1, 12, 123, 230]}
print("openvino", ov.get_version(), "| onnxruntime", ort.__version__)
holds = []
for rank in (1, 2, 3):
    for group, auto_pad, wrong in ((2, "NOTSET", True), (2, "SAME_LOWER", True), (1, "SAME_UPPER", True),
                                   (1, "NOTSET", False), (2, "SAME_UPPER", False)):
        by_ov, by_ort = run(rank, group, auto_pad)
        right = SPEC["SAME_UPPER" if auto_pad == "SAME_UPPER" else "NOTSET"]
        print(f"{rank}-D group {group} {auto_pad}: openvino {by_ov} | onnxruntime {by_ort} | the spec {right}")
        holds.append(by_ort.tolist() == right and (by_ov.tolist() != right) == wrong)
if all(holds):
    print("REPRODUCED: OpenVINO splits output_shape's padding otherwise than the spec (group > 1: all at the end; "
          "group 1 SAME_UPPER: the odd one first), in 1-D, 2-D and 3-D; ONNX Runtime follows the spec")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

# OpenVINO refuses to compile a ConvTranspose with a negative begin pad, in every dtype ('could
# not create a primitive descriptor for the deconvolution forward propagation primitive'), which
# ONNX Runtime computes (the output extended by that many zeros at the start); a negative end pad
# it computes. x = 1, kernel [1, 10] along the first axis: pads begin -1 gives [0 1 10], end -1
# gives [1 10 0].
import sys

import numpy as np
import openvino as ov
from onnx import TensorProto, helper

core = ov.Core()
TYPES = {"float32": TensorProto.FLOAT, "float16": TensorProto.FLOAT16, "bfloat16": TensorProto.BFLOAT16}


def compile_node(rank, dtype, end=False):
    ones = [1] * (rank - 1)
    pads = [0] * (2 * rank)     # every begin, then every end: the first axis begins (or ends) at -1
    pads[rank if end else 0] = -1
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[2] + ones, pads=pads)
    info = [helper.make_tensor_value_info("x", TYPES[dtype], [1, 1, 1] + ones),
            helper.make_tensor_value_info("w", TYPES[dtype], [1, 1, 2] + ones)]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TYPES[dtype], None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    try:
        compiled = core.compile_model(core.read_model(model.SerializeToString(), b""), "CPU")
    except RuntimeError as err:
        return "refused: " + next((line for line in str(err).splitlines() if "could not" in line), str(err)[-120:])
    dt = np.float16 if dtype == "float16" else np.float32
    if dtype == "bfloat16":
        return "compiled"
    y = compiled([np.ones([1, 1, 1] + ones, dt), np.array([1, 10], dt).reshape([1, 1, 2] + ones)])[0]
    return f"computes {y.astype(np.float32).ravel()}"


print("openvino", ov.get_version())
holds = []
for rank in (1, 2, 3):
    begin = {dtype: compile_node(rank, dtype) for dtype in TYPES}
    end = compile_node(rank, "float32", end=True)
    print(f"{rank}-D begin -1:", " | ".join(f"{d} {g[:60]}" for d, g in begin.items()), f"|| end -1: float32 {end}")
    holds.append(all(g.startswith("refused: could not create a primitive descriptor") for g in begin.values())
                 and end == "computes [ 1. 10.  0.]")
if all(holds):
    print("REPRODUCED: OpenVINO refuses a negative begin pad in float32, float16 and bfloat16 and computes a "
          "negative end pad, in 1-D, 2-D and 3-D")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

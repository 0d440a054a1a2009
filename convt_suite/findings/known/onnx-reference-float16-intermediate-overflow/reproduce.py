import sys

import numpy as np
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator


def run(rank):   # the same column of 2 inputs and 2-tap kernel along the first spatial axis
    shape = (1, 1, 2) + (1,) * (rank - 1)
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[2] + [1] * (rank - 1))
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT16, None) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT16, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    x = np.array([300.0, 250.0], np.float16).reshape(shape)
    w = np.array([250.0, -240.0], np.float16).reshape(shape)
    return ReferenceEvaluator(model).run(None, {"x": x, "w": w})[0].flatten().tolist()
exact = [300 * 250, 300 * -240 + 250 * 250, 250 * -240]   # 75000 overflows; -9500; -60000
held = []
for rank in (1, 2, 3):
    out = run(rank)
    print(f"{rank}-D onnx.reference:", out, " exact:", exact)
    held.append(bool(np.isinf(out[1]) or np.isnan(out[1])))
if all(held):
    print("REPRODUCED: the middle output is not finite in 1-D, 2-D and 3-D where the exact result is -9500")
else:
    print(f"NOT REPRODUCED: held in 1-D, 2-D, 3-D: {held}")
    sys.exit(3)

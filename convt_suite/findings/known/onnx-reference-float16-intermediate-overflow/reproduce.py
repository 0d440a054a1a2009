import sys

import numpy as np
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[2, 1])
info = [helper.make_tensor_value_info(n, TensorProto.FLOAT16, None) for n in "xw"]
graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT16, None)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
x = np.array([300.0, 250.0], np.float16).reshape(1, 1, 2, 1)     # one column of 2 inputs
w = np.array([250.0, -240.0], np.float16).reshape(1, 1, 2, 1)    # a 2x1 kernel
out = ReferenceEvaluator(model).run(None, {"x": x, "w": w})[0].flatten().tolist()
exact = [300 * 250, 300 * -240 + 250 * 250, 250 * -240]   # 75000 overflows; -9500; -60000
print("onnx.reference:", out, " exact:", exact)
if np.isinf(out[1]) or np.isnan(out[1]):
    print("REPRODUCED: the middle output is", out[1], "where the exact result is -9500")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

import sys

import numpy as np
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[2, 2], strides=[2, 2])
info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in "xw"]
graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
w = np.ones((1, 3, 2, 2), np.float32)
one = ReferenceEvaluator(model).run(None, {"x": np.ones((1, 1, 2, 2), np.float32), "w": w})[0].shape
try:
    empty = ReferenceEvaluator(model).run(None, {"x": np.ones((0, 1, 2, 2), np.float32), "w": w})[0].shape
except Exception as err:
    empty = f"{type(err).__name__}: {str(err)[:120]}"
print("batch 1:", one, "| batch 0:", empty, "(the definition: (0, 3, 4, 4))")
if one == (1, 3, 4, 4) and isinstance(empty, str) and "Issues with types" in empty:
    print("REPRODUCED: an empty batch raises instead of giving an empty output")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

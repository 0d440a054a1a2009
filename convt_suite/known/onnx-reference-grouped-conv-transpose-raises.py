import numpy as np
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator


def run(c_in, c_out, group):
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], group=group, kernel_shape=[1, 1])
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    x = np.ones((1, c_in, 1, 1), np.float32)
    w = np.ones((c_in, c_out // group, 1, 1), np.float32)   # ONNX's layout: C x M/group x kH x kW
    try:
        return ReferenceEvaluator(model).run(None, {"x": x, "w": w})[0].shape
    except Exception as err:
        return f"{type(err).__name__}: {err}"


one = run(2, 4, 1)          # a group: right
two = run(2, 4, 2)          # 2 -> 4 in 2 groups: the weight split by output channels
same = run(4, 4, 2)         # equal channels: the groups' outputs assembled wrongly
print("group 1:", one, "| 2 -> 4, group 2:", two, "| 4 -> 4, group 2:", same)
if one == (1, 4, 1, 1) and isinstance(two, str) and isinstance(same, str):
    print("REPRODUCED: every grouped ConvTranspose raises in the reference evaluator")

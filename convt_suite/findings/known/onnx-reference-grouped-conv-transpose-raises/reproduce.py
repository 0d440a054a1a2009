import sys

import numpy as np
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator


def run(c_in, c_out, group, bias=None):
    names = ["x", "w"] + (["b"] if bias is not None else [])
    node = helper.make_node("ConvTranspose", names, ["y"], group=group, kernel_shape=[1, 1])
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in names]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    x = np.ones((1, c_in, 1, 1), np.float32)
    w = np.ones((c_in, c_out // group, 1, 1), np.float32)   # ONNX's layout: C x M/group x kH x kW
    feeds = {"x": x, "w": w} | ({"b": np.asarray(bias, np.float32)} if bias is not None else {})
    try:
        return ReferenceEvaluator(model).run(None, feeds)[0]
    except Exception as err:
        return f"{type(err).__name__}: {err}"


one = run(2, 4, 1)          # a group: right
two = run(2, 4, 2)          # 2 -> 4 in 2 groups: the weight split by output channels
same = run(4, 4, 2)         # equal channels: the groups' outputs assembled wrongly
biased = run(2, 2, 2, [1.0, 5.0])   # one output channel per group: computes, with group 0's bias
print("group 1:", getattr(one, "shape", one), "| 2 -> 4, group 2:", two, "| 4 -> 4, group 2:", same,
      "| 2 -> 2, group 2, bias [1, 5]:", getattr(biased, "ravel", lambda: biased)(), "(the definition: [2. 6.])")
if (getattr(one, "shape", None) == (1, 4, 1, 1) and isinstance(two, str) and isinstance(same, str)
        and not isinstance(biased, str) and biased.ravel().tolist() == [2.0, 2.0]):
    print("REPRODUCED: a grouped ConvTranspose raises, or gets the first group's bias everywhere")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

# OpenVINO's CPU plugin computes a float64 (DOUBLE) ConvTranspose in float32: x = 1 + 2^-40
# times a weight of 1 comes back as exactly 1.0, and x = inf as float32's largest value
# (3.4e38, a saturating conversion), in 1-D, 2-D and 3-D, from a float64 model.
import sys

import numpy as np
import openvino as ov
from onnx import TensorProto, helper

core = ov.Core()


def run(rank):
    """A one-node float64 ConvTranspose (kernel 1) on (1, 1, 1, ...): its output and the precision it ran in."""
    shape = [1, 1] + [1] * rank
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[1] * rank)
    info = [helper.make_tensor_value_info(n, TensorProto.DOUBLE, shape) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.DOUBLE, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    compiled = core.compile_model(core.read_model(model.SerializeToString(), b""), "CPU")
    y = compiled([np.full(shape, 1 + 2.0 ** -40), np.ones(shape)])[0]
    big = compiled([np.full(shape, np.inf), np.ones(shape)])[0].ravel()[0]
    ran = [op.get_rt_info()["runtimePrecision"].astype(str) for op in compiled.get_runtime_model().get_ops()
           if op.get_rt_info()["layerType"].astype(str) == "Deconvolution"]
    print(f"{rank}-D: y - 1 = {float(y.ravel()[0]) - 1!r} (exact: {2.0 ** -40!r}), y dtype {y.dtype}, "
          f"the Deconvolution ran in {ran}; inf x 1 = {big!r}")
    return y.dtype == np.float64 and y.ravel()[0] == 1.0 and big == np.finfo(np.float32).max


print("openvino", ov.get_version())
if all([run(rank) for rank in (1, 2, 3)]):
    print("REPRODUCED: OpenVINO's CPU plugin computed the float64 ConvTranspose in float32 (1 + 2^-40 -> 1, "
          "inf -> 3.4e38), "
          "in 1-D, 2-D and 3-D")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

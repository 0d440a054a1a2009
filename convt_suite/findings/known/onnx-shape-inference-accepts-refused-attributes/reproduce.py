# onnx's strict shape inference declares output shapes for ConvTranspose attributes that the
# runtimes refuse: output_padding 2 with stride 2, an output_shape with a 0, pads past the output.
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

ort.set_default_logger_severity(4)


def check(rank=2, **attrs):
    """Kernel 3, stride 2, input 3 on every axis; rank 1, 2 or 3 spatial axes (3-D, 4-D or 5-D inputs)."""
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[3] * rank, strides=[2] * rank, **attrs)
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, 1] + [3] * rank) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    feeds = {n: np.ones([1, 1] + [3] * rank, np.float32) for n in "xw"}
    try:
        inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        declared = [d.dim_value for d in inferred.graph.output[0].type.tensor_type.shape.dim]
    except Exception as err:
        declared = f"{type(err).__name__}: {str(err)[:150]}"
    try:
        sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
        got = list(sess.run(None, feeds)[0].shape)
    except Exception as err:
        got = f"{type(err).__name__}: {str(err).split('Status Message: ')[-1][:150]}"
    print(f"{'' if rank == 2 else f'{rank}-D '}{attrs}: declared {declared} | onnxruntime {got}")
    return declared, got


results = [check(rank, **attrs) for rank in (2, 1, 3) for attrs in
           ({"output_padding": [2] * rank}, {"output_shape": [0] + [6] * (rank - 1)}, {"pads": [4] * 2 * rank})]
if all(isinstance(d, list) for d, _ in results) and all(isinstance(g, str) for _, g in results):
    print("REPRODUCED: shape inference declares shapes for three attribute sets ONNX Runtime refuses (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

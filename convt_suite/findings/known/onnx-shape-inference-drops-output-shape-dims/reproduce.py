# onnx's strict shape inference drops ConvTranspose's spatial dims from output_shape's first one
# shorter than the input onward (x 3x3, K 3x3, S 2): [6,1] declares rank 3, [1,6] rank 2.
# ONNX Runtime runs the same models and returns rank-4 outputs.
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

ort.set_default_logger_severity(4)


def check(out_shape):
    """x 3, K 3, S 2 on every axis; as many spatial axes as out_shape has (3-D, 4-D or 5-D inputs)."""
    rank = len(out_shape)
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[3] * rank, strides=[2] * rank,
                            output_shape=out_shape)
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
    print(f"{'' if rank == 2 else f'{rank}-D '}output_shape {out_shape}: declared {declared} | onnxruntime {got}")
    return declared


results = {tuple(s): check(s) for s in ([3, 3], [6, 1], [1, 6], [2, 6], [6], [1], [6, 6, 1], [6, 1, 6], [1, 6, 6])}
if (results[(1, 6)] == [1, 1] and results[(6, 1)] == [1, 1, 6]
        and results[(1,)] == [1, 1] and results[(6,)] == [1, 1, 6]
        and results[(6, 6, 1)] == [1, 1, 6, 6] and results[(6, 1, 6)] == [1, 1, 6] and results[(1, 6, 6)] == [1, 1]):
    print("REPRODUCED: shape inference drops output_shape's dims from the first one shorter than the input "
          "(1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

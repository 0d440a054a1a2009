# OpenVINO's CPU plugin (its oneDNN brgconv kernels), float32, bfloat16 and float16 (run in float32),
# 2-D and 3-D: a NaN
# weight tap turns NaN an output the tap never reaches, past the input along W, as TensorFlow's
# oneDNN does (finding tensorflow-onednn-strided-deconv-nan-spreads). x = 1 (width 1), w = [nan, 1]
# along W, stride 2, output_padding 1: the definition gives [nan, 1, 0] (output 2 is padding),
# which the 1-D node gets.
import sys

import ml_dtypes
import numpy as np
import openvino as ov
from onnx import TensorProto, helper

core = ov.Core()


def tensor(array, dtype):
    """bfloat16 goes to OpenVINO as the bits of an ml_dtypes array (it misreads the array itself)."""
    if dtype == "bfloat16":
        t = ov.Tensor(ov.Type.bf16, list(array.shape))
        t.data.view(np.uint16)[...] = array.astype(ml_dtypes.bfloat16).view(np.uint16)
        return t
    return array.astype(dtype)


def run(rank, dtype):
    ones = [1] * (rank - 1)
    element = {"bfloat16": TensorProto.BFLOAT16, "float16": TensorProto.FLOAT16}.get(dtype, TensorProto.FLOAT)
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=ones + [2], strides=ones + [2],
                            output_padding=[0] * (rank - 1) + [1])
    info = [helper.make_tensor_value_info("x", element, [1, 1] + ones + [1]),
            helper.make_tensor_value_info("w", element, [1, 1] + ones + [2])]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", element, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    compiled = core.compile_model(core.read_model(model.SerializeToString(), b""), "CPU")
    request = compiled.create_infer_request()
    request.infer([tensor(np.ones([1, 1] + ones + [1]), dtype),
                   tensor(np.float64([np.nan, 1]).reshape([1, 1] + ones + [2]), dtype)])
    y = request.get_output_tensor(0).data
    y = (y.view(ml_dtypes.bfloat16) if dtype == "bfloat16" else y).astype(np.float64).ravel()
    print(f"{rank}-D {dtype}: {y} (the definition: [nan 1 0])")
    return y


print("openvino", ov.get_version())
got = {(rank, dtype): run(rank, dtype) for rank in (1, 2, 3) for dtype in ("float32", "bfloat16", "float16")}
if all(y[1] == 1 and (np.isnan(y[2]) if rank > 1 else y[2] == 0) for (rank, _), y in got.items()):
    print("REPRODUCED: a NaN weight tap turned NaN an output it does not reach, in float32, bfloat16 and float16, "
          "2-D and 3-D (1-D is right)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

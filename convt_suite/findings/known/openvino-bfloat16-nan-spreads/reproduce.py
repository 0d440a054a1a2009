# OpenVINO's CPU plugin, given a bfloat16 ConvTranspose (its brgconv_avx512_1x1_bf16 kernel on a
# CPU with avx512_bf16), turns an output NaN that no product with the NaN input reaches: a 1x1
# kernel of weight 1, stride 1, must map x = [1, NaN, 1] to [1, NaN, 1].
import sys

import ml_dtypes
import numpy as np
import openvino as ov
from onnx import TensorProto, helper


def run(shape):
    """A one-node ConvTranspose (1x1 kernel of ones, stride 1) in bfloat16; x all ones but a NaN."""
    rank = len(shape) - 2
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[1] * rank)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.BFLOAT16, shape),
                                            helper.make_tensor_value_info("w", TensorProto.BFLOAT16, [1, 1] + [1] * rank)],
                              [helper.make_tensor_value_info("y", TensorProto.BFLOAT16, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    core = ov.Core()
    compiled = core.compile_model(core.read_model(model.SerializeToString(), b""), "CPU")
    x = np.ones(shape, ml_dtypes.bfloat16)
    x.reshape(-1)[1] = np.nan
    tensors = []
    for array in (x, np.ones([1, 1] + [1] * rank, ml_dtypes.bfloat16)):   # bfloat16 goes in as its bits
        tensor = ov.Tensor(ov.Type.bf16, list(array.shape))
        tensor.data.view(np.uint16)[...] = array.view(np.uint16)
        tensors.append(tensor)
    request = compiled.create_infer_request()
    request.infer(tensors)
    return np.array(request.get_output_tensor(0).data).view(ml_dtypes.bfloat16).astype(np.float32).reshape(-1)


seen = {}
for name, shape in (("1-D", [1, 1, 3]), ("2-D", [1, 1, 1, 3]), ("3-D", [1, 1, 1, 1, 3])):
    y = run(shape)
    seen[name] = int(np.isnan(y).sum())
    print(f"{name}: x = [1, nan, 1] -> y = {y.tolist()} (the definition: [1.0, nan, 1.0])")
spread = [name for name, count in seen.items() if count > 1]
if spread:
    print(f"REPRODUCED: a NaN input spreads to an output it does not reach in bfloat16 ({', '.join(spread)})")
else:
    print("NOT REPRODUCED: every NaN stays at its own output")
    sys.exit(3)

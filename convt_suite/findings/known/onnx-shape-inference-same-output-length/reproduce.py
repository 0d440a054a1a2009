# With auto_pad SAME_UPPER, onnx's shape inference declares min(L, I*S) + output_padding, while the
# spec's SAME output is I*S: 7x7 for x 3x3, kernel 3, stride 2, output_padding 1 (ONNX Runtime and
# the reference return 6x6), and L = 5 for kernel 1, stride 2 (the reference returns 6x6).
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

ort.set_default_logger_severity(4)


def attempt(fn):
    try:
        return fn()
    except Exception as err:
        return f"{type(err).__name__}: {str(err).split('Status Message: ')[-1][:150]}"


def shapes(kernel, rank=2, **attributes):
    """Input 3, stride 2, SAME_UPPER on every axis; rank 1, 2 or 3 spatial axes (3-D, 4-D or 5-D inputs)."""
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[kernel] * rank, strides=[2] * rank,
                            auto_pad="SAME_UPPER", **attributes)
    info = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1] + [3] * rank),
            helper.make_tensor_value_info("w", TensorProto.FLOAT, [1, 1] + [kernel] * rank)]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    feeds = {"x": np.ones([1, 1] + [3] * rank, np.float32), "w": np.ones([1, 1] + [kernel] * rank, np.float32)}
    declared = attempt(lambda: [d.dim_value for d in onnx.shape_inference.infer_shapes(
        model, check_type=True, strict_mode=True).graph.output[0].type.tensor_type.shape.dim])
    rt = attempt(lambda: list(ort.InferenceSession(model.SerializeToString(),
                                                   providers=["CPUExecutionProvider"]).run(None, feeds)[0].shape))
    ref = attempt(lambda: list(ReferenceEvaluator(model).run(None, feeds)[0].shape))
    print(f"{'' if rank == 2 else f'{rank}-D '}kernel {kernel} {attributes}: declared {declared} "
          f"| onnxruntime {rt} | reference {ref} | the spec {[1, 1] + [6] * rank}")
    return declared, ref


padded = shapes(3, output_padding=[1, 1])
wide_stride = shapes(1)
in_ranks = {rank: (shapes(3, rank, output_padding=[1] * rank), shapes(1, rank)) for rank in (1, 3)}
if (padded == ([1, 1, 7, 7], [1, 1, 6, 6]) and wide_stride == ([1, 1, 5, 5], [1, 1, 6, 6])
        and all(got == (([1, 1] + [7] * r, [1, 1] + [6] * r), ([1, 1] + [5] * r, [1, 1] + [6] * r))
                for r, got in in_ranks.items())):
    print("REPRODUCED: shape inference declares SAME's output as min(L, I*S) + output_padding, not I*S (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

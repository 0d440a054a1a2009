# onnx's reference evaluator with output_shape computes an output_padding at the stride (3, stride 3;
# output_shape 6) and, under SAME_UPPER, an output_shape of 0; ONNX Runtime refuses both. Input 2, kernel 2.
import sys

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

ort.set_default_logger_severity(4)


def run(rank=2, **attributes):
    """Kernel 2, stride 3, input 2 on the first axis; kernel 1, stride 1, input 1 on the other rank - 1
    spatial axes (3-D, 4-D or 5-D inputs)."""
    rest = [1] * (rank - 1)
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[2] + rest, strides=[3] + rest,
                            **attributes)
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    feeds = {"x": np.ones([1, 1, 2] + rest, np.float32), "w": np.ones([1, 1, 2] + rest, np.float32)}
    found = []
    for runtime in (lambda: ReferenceEvaluator(model).run(None, feeds)[0],
                    lambda: ort.InferenceSession(model.SerializeToString(),
                                                 providers=["CPUExecutionProvider"]).run(None, feeds)[0]):
        try:
            found.append(list(runtime().shape))
        except Exception as err:
            found.append(f"{type(err).__name__}: {str(err).split('Status Message: ')[-1][:100]}")
    print(*([] if rank == 2 else [f"{rank}-D"]), attributes, "| reference:", found[0], "| onnxruntime:", found[1])
    return found


def holds(big, empty, without):
    return (isinstance(big[0], list) and isinstance(big[1], str) and isinstance(empty[0], list)
            and isinstance(empty[1], str) and isinstance(without[0], str))


ok = {rank: holds(run(rank, output_padding=[3] + [0] * (rank - 1), output_shape=[6] + [1] * (rank - 1)),
                  run(rank, output_shape=[0] + [1] * (rank - 1), auto_pad="SAME_UPPER"),
                  run(rank, output_padding=[3] + [0] * (rank - 1))) for rank in (2, 1, 3)}
if all(ok.values()):
    print("REPRODUCED: with output_shape the reference evaluator computes what ONNX Runtime refuses (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

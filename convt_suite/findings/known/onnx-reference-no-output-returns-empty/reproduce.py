# onnx's reference evaluator returns an empty output where the pads leave none (input 1, kernel 3,
# stride 1, pads 2 and 1: L = 3, output 0); ONNX Runtime refuses.
import sys

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

ort.set_default_logger_severity(4)
info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in "xw"]
ops = [helper.make_opsetid("", 22)]


def call(rank=2):
    """Pads 2 + 1 on the first axis, 0 elsewhere: 4-D (NCHW) inputs, or 3-D (NCW) / 5-D (NCDHW) for rank 1 / 3."""
    kernel, pads = [3] + [1] * (rank - 1), [2] + [0] * (rank - 1) + [1] + [0] * (rank - 1)
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=kernel, pads=pads)
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    feeds = {"x": np.ones((1, 1) + (1,) * rank, np.float32), "w": np.ones([1, 1] + kernel, np.float32)}
    got = []
    for run in (lambda: ReferenceEvaluator(model).run(None, feeds)[0].shape,
                lambda: ort.InferenceSession(model.SerializeToString(),
                                             providers=["CPUExecutionProvider"]).run(None, feeds)[0].shape):
        try:
            got.append(run())
        except Exception as err:
            got.append(f"{type(err).__name__}: {str(err).split('Status Message: ')[-1][:100]}")
    print(f"{rank}-D reference:" if rank != 2 else "reference:", got[0], "| onnxruntime:", got[1])
    return got[0] == (1, 1, 0) + (1,) * (rank - 1) and isinstance(got[1], str)


holds = {rank: call(rank) for rank in (2, 1, 3)}
if all(holds.values()):
    print("REPRODUCED: the reference evaluator returns an empty output where ONNX Runtime refuses (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

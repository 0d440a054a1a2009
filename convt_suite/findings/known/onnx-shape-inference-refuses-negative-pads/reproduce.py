# Strict shape inference refuses a ConvTranspose with negative pads; ONNX Runtime (inputs of free
# shape) and the reference evaluator compute it (input 3, kernel 3, stride 2, pads [-1, 0, 0, 0]:
# 8 outputs, a zero first). ONNX Runtime given the inputs' shapes runs the same shape inference
# at load and refuses too.
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

ort.set_default_logger_severity(4)


def model(shape):
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[3, 1], strides=[2, 1],
                            pads=[-1, 0, 0, 0])
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    return helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))


feeds = {"x": np.array([1, 2, 3], np.float32).reshape(1, 1, 3, 1),
         "w": np.array([1, 10, 100], np.float32).reshape(1, 1, 3, 1)}
shaped, free = model([1, 1, 3, 1]), model(None)
found = []
for run in (lambda: onnx.shape_inference.infer_shapes(shaped, check_type=True, strict_mode=True),
            lambda: ort.InferenceSession(free.SerializeToString(),
                                         providers=["CPUExecutionProvider"]).run(None, feeds)[0].ravel(),
            lambda: ReferenceEvaluator(free).run(None, feeds)[0].ravel(),
            lambda: ort.InferenceSession(shaped.SerializeToString(), providers=["CPUExecutionProvider"])):
    try:
        found.append(run())
    except Exception as err:
        found.append(f"{type(err).__name__}: ...{str(err).strip()[-70:]}")
print("shape inference:", found[0] if isinstance(found[0], str) else "declared",
      "| onnxruntime:", found[1], "| reference:", found[2], "| onnxruntime, shapes given:",
      found[3] if isinstance(found[3], str) else "loaded")
expected = [0, 1, 10, 102, 20, 203, 30, 300]


def model_in_rank(rank, shape):
    """The same pads in 1-D (pads [-1, 0]) and 3-D (pads [-1, 0, 0, 0, 0, 0])."""
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[3] + [1] * (rank - 1),
                            strides=[2] + [1] * (rank - 1), pads=[-1] + [0] * (2 * rank - 1))
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    return helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))


def call_in_rank(rank):
    """Shape inference, ONNX Runtime with free shapes and the reference evaluator, in 1-D or 3-D."""
    shape = (1, 1, 3) + (1,) * (rank - 1)
    shaped, free = model_in_rank(rank, list(shape)), model_in_rank(rank, None)
    ranked = {n: a.reshape(shape) for n, a in feeds.items()}
    got = []
    for run in (lambda: onnx.shape_inference.infer_shapes(shaped, check_type=True, strict_mode=True),
                lambda: ort.InferenceSession(free.SerializeToString(),
                                             providers=["CPUExecutionProvider"]).run(None, ranked)[0].ravel(),
                lambda: ReferenceEvaluator(free).run(None, ranked)[0].ravel()):
        try:
            got.append(run())
        except Exception as err:
            got.append(f"{type(err).__name__}: ...{str(err).strip()[-70:]}")
    print(f"{rank}-D: shape inference:", got[0] if isinstance(got[0], str) else "declared",
          "| onnxruntime:", got[1], "| reference:", got[2])
    return got


in_ranks = [call_in_rank(rank) for rank in (1, 3)]
if all(isinstance(f[0], str) and "negative" in f[0]
       and all(not isinstance(g, str) and g.tolist() == expected for g in f[1:3]) for f in [found] + in_ranks):
    print("REPRODUCED: shape inference refuses negative pads that both runtimes compute (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

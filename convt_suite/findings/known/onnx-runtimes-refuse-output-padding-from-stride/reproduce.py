# ONNX Runtime and onnx's ReferenceEvaluator refuse output_padding 1 with stride 1 and dilation 2,
# though op < max(stride, dilation) (PyTorch's rule, and ORT's own first check) allows it, in
# 1-D, 2-D and 3-D. Where torch is installed: the same layer exported by torch.onnx.export
# computes in PyTorch and is refused in ONNX Runtime.
import io
import sys

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

ort.set_default_logger_severity(4)
try:
    import torch
except ImportError:
    torch = None
x1, w1 = np.float32([1, 2, 3]), np.float32([1, 10])
full = np.zeros(5, np.float32)               # L = (3-1)*1 + 2*(2-1) + 1 = 5, along the first axis
for i in range(3):
    for k in range(2):
        full[i + 2 * k] += x1[i] * w1[k]
expected = np.append(full, 0)                # L + op = 6, the output_padding element a zero


def attempt(fn):
    try:
        return fn()
    except Exception as err:
        return f"{type(err).__name__}: {str(err).split('Status Message: ')[-1].replace(chr(10), ' ')[:150]}"


def refused_everywhere(rank):
    """The node (kernel 2, dilation 2, output_padding 1 along the first axis; 1 on the others)
    in both runtimes, and the torch layer exported: True where all refuse and torch computes."""
    rest = [1] * (rank - 1)
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[2, *rest], strides=[1] * rank,
                            dilations=[2, *rest], output_padding=[1] + [0] * (rank - 1))
    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in "xw"]
    graph = helper.make_graph([node], "g", info, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    ops = [helper.make_opsetid("", 22)]
    model = helper.make_model(graph, opset_imports=ops, ir_version=helper.find_min_ir_version_for(ops))
    x, w = x1.reshape(1, 1, 3, *rest), w1.reshape(1, 1, 2, *rest)
    got_ort = attempt(lambda: ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
                      .run(None, {"x": x, "w": w})[0])
    got_ref = attempt(lambda: ReferenceEvaluator(model).run(None, {"x": x, "w": w})[0])
    print(f"{rank}-D expected:", expected, "| onnxruntime:", getattr(got_ort, "ravel", lambda: got_ort)(),
          "| reference:", getattr(got_ref, "ravel", lambda: got_ref)())
    exported = eager = None
    if torch is not None:   # nn.ConvTranspose{rank}d(1, 1, (2, 1...), dilation=(2, 1...), output_padding=(1, 0...))
        layer = getattr(torch.nn, f"ConvTranspose{rank}d")(1, 1, (2, *rest), dilation=(2, *rest),
                                                          output_padding=(1, *[0] * (rank - 1)), bias=False)
        with torch.no_grad():
            layer.weight.copy_(torch.from_numpy(w))
            eager = layer(torch.from_numpy(x)).numpy().ravel()
            buffer = io.BytesIO()
            torch.onnx.export(layer, (torch.from_numpy(x),), buffer, dynamo=False)
        session = attempt(lambda: ort.InferenceSession(buffer.getvalue(), providers=["CPUExecutionProvider"]))
        exported = attempt(lambda: session.run(None, {session.get_inputs()[0].name: x})[0])
        print(f"{rank}-D torch:", eager, "| exported, in onnxruntime:", getattr(exported, "ravel", lambda: exported)())
    return (isinstance(got_ort, str) and isinstance(got_ref, str)
            and (torch is None or (np.array_equal(eager, expected) and isinstance(exported, str))))


if all([refused_everywhere(rank) for rank in (1, 2, 3)]):
    print("REPRODUCED: both runtimes refuse output_padding 1 with stride 1, dilation 2, in 1-D, 2-D and 3-D")
else:
    print("NOT REPRODUCED: the output above is not the finding's (in every rank)")
    sys.exit(3)

# LiteRT's default XNNPACK delegate mishandles a non-finite weight of a converted conv_transpose
# (1-D and 2-D; it never takes 3-D): a NaN tap turns every output NaN (float32 weights and the
# converter's float16 ones alike), where the definition (and LiteRT's reference kernel) keep NaN to
# the outputs the tap reaches; an infinite tap's product comes back as 3.4e38 (an infinite input
# stays inf). x = [1, 1], w = [nan, 2, 3]: [nan nan 5 3].
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter, OpResolverType


def run(x, w, rank, resolver, half=False):
    """A stride-1 'VALID' conv{rank}d_transpose along the first axis, the other axes of length 1
    (half: converted with float16 weights, DEQUANTIZE'd to float32 when the model runs)."""
    ones = (1,) * (rank - 1)
    shape, out = (1, len(x)) + ones + (1,), (1, len(x) + len(w) - 1) + ones + (1,)
    kernel = tf.constant(np.float32(w).reshape((len(w),) + ones + (1, 1)))
    graph = tf.function(lambda x_: tf.nn.conv_transpose(x_, kernel, out, 1, "VALID"),
                        input_signature=[tf.TensorSpec(shape, tf.float32)])
    converter = tf.lite.TFLiteConverter.from_concrete_functions([graph.get_concrete_function()], graph)
    if half:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
    model = converter.convert()
    interpreter = Interpreter(model_content=model, experimental_op_resolver_type=getattr(OpResolverType, resolver))
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], np.float32(x).reshape(shape))
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"]).ravel()


holds = []
for rank in (1, 2):
    nan_xnnpack, nan_reference = run([1, 1], [np.nan, 2, 3], rank, "AUTO"), run([1, 1], [np.nan, 2, 3], rank, "BUILTIN_REF")
    inf_weight, inf_input = run([1], [np.inf], rank, "AUTO"), run([np.inf], [2], rank, "AUTO")
    nan_half = run([1, 1], [np.nan, 2, 3], rank, "AUTO", half=True)
    print(f"{rank}-D: w = [nan 2 3]: XNNPACK {nan_xnnpack}, reference {nan_reference} (the definition: [nan nan 5 3]); "
          f"with float16 weights XNNPACK {nan_half}; w = inf: XNNPACK {inf_weight}; x = inf: XNNPACK {inf_input}")
    holds.append(np.isnan(nan_xnnpack).all() and nan_reference[2:].tolist() == [5, 3] and np.isnan(nan_half).all()
                 and inf_weight[0] == np.finfo(np.float32).max and np.isinf(inf_input[0]))
if all(holds):
    print("REPRODUCED: XNNPACK turned every output NaN for one NaN weight (float32 weights and float16 ones "
          "alike) and an infinite weight's product finite (3.4e38), in 1-D and 2-D; the reference kernel keeps "
          "the NaN to its outputs")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

# A converted conv2d_transpose whose output_shape TensorFlow refuses ('VALID', input 3, kernel 4,
# stride 3: the output must be 10 to 12, 13 asked) runs under LiteRT's default XNNPACK delegate,
# which returns an output of 10 (VALID's own length: the asked size is ignored, silently);
# LiteRT's reference kernel refuses it, as TensorFlow does.
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter, OpResolverType

x, w = np.ones((1, 3, 3, 1), np.float32), tf.constant(np.ones((4, 4, 1, 1), np.float32))
graph = tf.function(lambda x_: tf.nn.conv2d_transpose(x_, w, [1, 13, 13, 1], 3, "VALID"),
                    input_signature=[tf.TensorSpec(x.shape, tf.float32)])


def attempt(fn):
    try:
        return f"computes {tuple(fn().shape)}"
    except Exception as err:
        return f"refuses: {type(err).__name__}: {str(err).strip().splitlines()[0][:120]}"


by_tf = attempt(lambda: graph(x))
model = tf.lite.TFLiteConverter.from_concrete_functions([graph.get_concrete_function()], graph).convert()


def interpret(resolver):
    interpreter = Interpreter(model_content=model, experimental_op_resolver_type=getattr(OpResolverType, resolver))
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"])


by_xnnpack, by_reference = attempt(lambda: interpret("AUTO")), attempt(lambda: interpret("BUILTIN_REF"))
print("TensorFlow:", by_tf, "| LiteRT with XNNPACK:", by_xnnpack, "| LiteRT reference:", by_reference)
if by_tf.startswith("refuses") and by_xnnpack == "computes (1, 10, 10, 1)" and by_reference.startswith("refuses"):
    print("REPRODUCED: XNNPACK computes, as an output of 10, an output_shape of 13 that TensorFlow and "
          "LiteRT's reference kernel refuse")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

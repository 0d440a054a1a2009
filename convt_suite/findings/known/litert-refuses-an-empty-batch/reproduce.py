# LiteRT cannot run a converted conv2d_transpose on an empty batch (N = 0): the interpreter
# refuses the input ('Invalid tensor size'), where TensorFlow returns an empty output.
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter


def run(rank):
    shape, out = (0,) + (3,) * rank + (1,), (0,) + (5,) * rank + (1,)
    w = tf.constant(np.ones((3,) * rank + (1, 1), np.float32))
    graph = tf.function(lambda x_: tf.nn.conv_transpose(x_, w, out, 1, "VALID"),
                        input_signature=[tf.TensorSpec(shape, tf.float32)])
    by_tf = graph(tf.zeros(shape)).shape
    model = tf.lite.TFLiteConverter.from_concrete_functions([graph.get_concrete_function()], graph).convert()
    interpreter = Interpreter(model_content=model)
    interpreter.allocate_tensors()
    try:
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], np.zeros(shape, np.float32))
        interpreter.invoke()
        by_litert = interpreter.get_tensor(interpreter.get_output_details()[0]["index"]).shape
    except ValueError as err:
        by_litert = f"ValueError: {err}"
    print(f"{rank}-D: TensorFlow {tuple(by_tf)} | LiteRT {by_litert}")
    return by_tf[0] == 0 and str(by_litert).startswith("ValueError")


if all([run(rank) for rank in (1, 2, 3)]):
    print("REPRODUCED: LiteRT refuses an empty batch that TensorFlow computes, in 1-D, 2-D and 3-D")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

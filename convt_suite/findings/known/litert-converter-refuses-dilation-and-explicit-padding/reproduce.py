# TFLiteConverter refuses two conv2d_transpose calls TensorFlow computes: dilation > 1 and an
# explicit padding list (both need TF's own Conv2DBackpropInput, a 'TF Select' op, which LiteRT's
# interpreter does not have without the Flex delegate); 'SAME' with dilation 1 converts.
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

x, w = tf.ones((1, 4, 4, 1)), tf.constant(np.ones((3, 3, 1, 1), np.float32))
CALLS = {   # name: (conv2d_transpose's arguments, refused by the converter)
    "SAME, dilation 1": (dict(output_shape=[1, 8, 8, 1], strides=2, padding="SAME"), False),
    "SAME, dilation 2": (dict(output_shape=[1, 4, 4, 1], strides=1, padding="SAME", dilations=2), True),
    "explicit padding": (dict(output_shape=[1, 8, 8, 1], strides=2, padding=[[0, 0], [1, 0], [1, 0], [0, 0]]), True),
}
holds = []
for name, (args, refused) in CALLS.items():
    graph = tf.function(lambda x_, args=args: tf.nn.conv2d_transpose(x_, w, **args),
                        input_signature=[tf.TensorSpec(x.shape, tf.float32)])
    tf_shape = graph(x).shape
    try:
        tf.lite.TFLiteConverter.from_concrete_functions([graph.get_concrete_function()], graph).convert()
        converted = "converts"
    except Exception as err:
        converted = f"{type(err).__name__}: " + next((line for line in str(err).splitlines()
                                                       if "TF Select ops" in line), str(err)[:100])
    print(f"{name}: TensorFlow {tuple(tf_shape)} | TFLiteConverter {converted}")
    holds.append(converted.startswith("ConverterError") == refused)
if all(holds):
    print("REPRODUCED: the converter refuses dilation > 1 and explicit padding, which TensorFlow computes")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

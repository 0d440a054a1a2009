import sys

import keras

try:
    keras.layers.Conv2DTranspose(1, 2, strides=2, output_padding=(0, 0))
    print("keras", keras.__version__, "takes output_padding 0")
except ValueError as err:
    print("keras", keras.__version__, "ValueError:", str(err)[:120])
    print("REPRODUCED: output_padding 0 is refused")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

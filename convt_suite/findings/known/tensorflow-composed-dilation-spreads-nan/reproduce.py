import sys

import numpy as np

x = np.array([np.nan])                                 # one input
dilated = np.array([1.0, 0.0, 1.0])                    # kernel [1, 1] with dilation 2
out = np.convolve(x, dilated)                          # the composition's arithmetic
print("zero-dilated kernel:", out, " definition: [nan 0 nan]")
if np.isnan(out[1]):
    print("REPRODUCED: the inserted zero times NaN is NaN")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

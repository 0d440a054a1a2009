import sys

import jax
import jax.numpy as jnp

x, w = jnp.ones((1, 1, 3, 3)), jnp.ones((1, 1, 3, 3))
def call(padding, consistent):
    try:
        return jax.lax.conv_transpose(x, w, (2, 2), padding, dimension_numbers=(
            "NCHW", "OIHW", "NCHW"), transpose_kernel=True,
            use_consistent_padding=consistent).shape
    except ValueError as err:
        return f"ValueError: {err}"
tuples, lists = call(((1, 1), (1, 1)), True), call([[1, 1], [1, 1]], True)
plain = call([[1, 1], [1, 1]], False)
print("consistent, tuples ->", tuples, "| consistent, lists ->", lists, "| lists ->", plain)
if isinstance(tuples, tuple) and isinstance(lists, str) and isinstance(plain, tuple):
    print("REPRODUCED: use_consistent_padding=True refuses pairs given as lists")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

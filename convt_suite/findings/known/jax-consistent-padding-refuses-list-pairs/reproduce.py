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


def call_in_rank(rank, padding, consistent, jit=False):
    """The same call in 1-D (NCW) and 3-D (NCDHW), eager or under jax.jit."""
    spec = {1: "W", 3: "DHW"}[rank]
    xr, wr = jnp.ones((1, 1) + (3,) * rank), jnp.ones((1, 1) + (3,) * rank)
    def f(a, b):
        return jax.lax.conv_transpose(a, b, (2,) * rank, padding, dimension_numbers=(
            "NC" + spec, "OI" + spec, "NC" + spec), transpose_kernel=True,
            use_consistent_padding=consistent)
    try:
        return (jax.jit(f) if jit else f)(xr, wr).shape
    except ValueError as err:
        return f"ValueError: {err}"


in_ranks = {}
for rank in (1, 3):
    for jit in (False, True):
        got = (call_in_rank(rank, ((1, 1),) * rank, True, jit),
               call_in_rank(rank, [[1, 1]] * rank, True, jit),
               call_in_rank(rank, [[1, 1]] * rank, False, jit))
        in_ranks[(rank, jit)] = got
        print(f"{rank}-D{' jit' if jit else ''}: consistent, tuples ->", got[0],
              "| consistent, lists ->", got[1], "| lists ->", got[2])
ranks_hold = all(isinstance(t, tuple) and isinstance(l, str) and isinstance(p, tuple)
                 for t, l, p in in_ranks.values())
if (isinstance(tuples, tuple) and isinstance(lists, str) and isinstance(plain, tuple)
        and ranks_hold):
    print("REPRODUCED: use_consistent_padding=True refuses pairs given as lists (1-D, 2-D, 3-D, eager and jit)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

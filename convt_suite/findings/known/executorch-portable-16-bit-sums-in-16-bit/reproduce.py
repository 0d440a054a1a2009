# ExecuTorch's portable convolution (aten::convolution.out), transposed, in float16 and
# bfloat16 rounds every product to the 16-bit dtype and adds it to the output element there
# (op_convolution.cpp: `out_ptr[out_idx] += in_val * w_val` in CTYPE, the output first set to the
# bias). On long reductions (many input channels x kernel taps) most outputs are then further
# from the exact result than two roundings, where a float32 sum rounded once has none; the
# portable output equals, bit for bit, that 16-bit sum replayed in the kernel's order. The XNNPACK
# delegate's float16 (the control) is as accurate as a sum rounded once. 1-D and 2-D.
import itertools
import logging
import sys

import ml_dtypes
import numpy as np
import torch

logging.getLogger("torchao").setLevel(logging.ERROR)   # the XNNPACK backend's import chatter
from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner  # noqa: E402
from executorch.exir import to_edge, to_edge_transform_and_lower  # noqa: E402
from executorch.runtime import Runtime  # noqa: E402

DTYPES = {"bfloat16": (torch.bfloat16, ml_dtypes.bfloat16, 2.0 ** -8),   # (torch dtype, numpy dtype, u)
          "float16": (torch.float16, np.float16, 2.0 ** -11)}
# (rank, in channels, out channels, side): kernel 4, stride 2, so 256 channels x 4 taps (2-D)
# or x 2 taps (1-D) = 1,024 products an output
LAYERS = [(2, 256, 8, 4), (1, 512, 16, 16)]
K, S = 4, 2


def executorch(layer, x, delegate):
    with torch.no_grad():
        exported = torch.export.export(layer.eval(), (x,))
    lowered = (to_edge_transform_and_lower(exported, partitioner=[XnnpackPartitioner()]) if delegate
               else to_edge(exported))
    program = lowered.to_executorch()
    return Runtime.get().load_program(program.buffer).load_method("forward").execute([x])[0]


def sixteen_bit_sum(x, w, b, rank, dt):
    """The portable kernel's sum replayed: out = bias; for each input position (row-major),
    each input channel, each tap: out += x·w, the product and each sum rounded to dt."""
    cout, side = w.shape[1], x.shape[2]
    out = np.zeros((cout,) + ((side - 1) * S + K,) * rank, dt) + b.reshape((cout,) + (1,) * rank).astype(dt)
    for pos in itertools.product(range(side), repeat=rank):
        window = (slice(None),) + tuple(slice(p * S, p * S + K) for p in pos)
        for c in range(x.shape[1]):
            product = (np.float32(x[(0, c) + pos]) * w[c].astype(np.float32)).astype(dt)   # (cout, K, ...)
            out[window] = (out[window].astype(np.float32) + product.astype(np.float32)).astype(dt)
    return out[None].astype(np.float64)


def measure(rank, cin, cout, side, dtype):
    tdt, dt, u = DTYPES[dtype]
    rng = np.random.default_rng(0)
    x, w, b = (rng.standard_normal(s).astype(dt).astype(np.float64)
               for s in ((1, cin) + (side,) * rank, (cin, cout) + (K,) * rank, (cout,)))

    def layer(torch_dtype):
        conv = (torch.nn.ConvTranspose1d, torch.nn.ConvTranspose2d)[rank - 1](cin, cout, K, stride=S)
        conv.weight = torch.nn.Parameter(torch.from_numpy(w).to(torch_dtype), requires_grad=False)
        conv.bias = torch.nn.Parameter(torch.from_numpy(b).to(torch_dtype), requires_grad=False)
        return conv.to(torch_dtype)

    with torch.no_grad():
        exact = layer(torch.float64)(torch.from_numpy(x)).numpy()
    xt = torch.from_numpy(x).to(tdt)
    portable = executorch(layer(tdt), xt, False).float().numpy().astype(np.float64)
    once = exact.astype(dt).astype(np.float64)   # a wide sum, rounded once
    replayed = sixteen_bit_sum(x, w, b, rank, dt)

    def off(result):
        return int(np.sum(np.abs(result - exact) > 2 * u * np.abs(exact)))

    found = {"portable": off(portable), "rounded once": off(once), "16-bit replay": off(replayed),
             "portable == replay": int(np.sum(portable == replayed)), "of": exact.size}
    if dtype == "float16":   # the control: XNNPACK's float16 kernels
        found["XNNPACK"] = off(executorch(layer(tdt), xt, True).float().numpy().astype(np.float64))
    return found


print(f"output elements further from the exact result than two roundings (kernel {K}, stride {S}, "
      "random normal x, w, bias):")
holds = []
for dtype in DTYPES:
    for rank, cin, cout, side in LAYERS:
        found = measure(rank, cin, cout, side, dtype)
        print(f"  {rank}-D {cin:3} -> {cout:2} channels, {dtype:8}: {found}")
        wide = max(found["rounded once"], 1)
        holds.append(found["portable"] > 100 * wide and found.get("XNNPACK", 0) <= 10 * wide)
if all(holds):
    print("REPRODUCED: the portable transposed convolution sums in the 16-bit dtype (bfloat16 and float16, "
          "1-D and 2-D): far more outputs off than a float32 sum rounded once, and XNNPACK's float16 is not")
else:
    print(f"NOT REPRODUCED: the portable 16-bit results are as accurate as a sum rounded once in "
          f"{holds.count(False)} of {len(holds)} measurements (above)")
    sys.exit(3)

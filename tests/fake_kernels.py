"""A stand-in for a framework's native kernels (tests/hostile_adapters.py)."""


def conv_transpose_dilated(*_):
    raise NotImplementedError("no kernel for this dtype")   # as PyTorch says for a missing kernel

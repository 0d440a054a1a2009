"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.findings.matchers import called_crops, called_output, called_padding, effective


def _depth_loop_wrong(i: int, o: int, k: int, s: int, f: int) -> bool:
    """oneDNN v3.7 jit_avx512_common backward weights, compute_od_loop_partial,
    one call over the output depths [0, o) of an image (src depth i, kernel depth k,
    depth stride s, front pad f): the od steps go wrong where (1) an od after the
    first still starts in the front padding and also runs past src's end, and the
    code's 'left the padding' fix-up moves the pointers or resets the count; or (2)
    the first od out of the front padding runs past src's end and the count the
    code sets there is not i - (its start). Smaller thread chunks are wrong only
    where the whole image is."""
    if f == 0 or o < 2:
        return False
    first_out = -(-f // s)                     # ods 0 .. first_out-1 start in the front padding
    start = first_out * s - f                  # where od first_out's window starts
    back_overlap = -(-(i + f - (k - 1)) // s)  # the kernel's input_backpad_overlap
    reset = f + i < k + s                      # then it sets the count to i + f - back_overlap*s
    reset_count = i + f - back_overlap * s
    both = any(d * s - f + k > i for d in range(1, min(first_out, o)))
    if both and (f % s != 0 or f > o * s or (reset and reset_count != i)):
        return True
    if 0 < first_out < o and start + k > i and (both or f % s != 0 or k > i):
        return (reset_count if reset else min(k, i)) != i - start
    return False


def match(record: dict) -> bool:
    """float32 grad_weight of a 3-D 'SAME' call (the native one, or the
    adapter's) whose filter-gradient convolution (src depth O, the output's;
    output depth D, the input's; kernel depth K; stride s; front pad
    T // 2 of T = (D - 1)·s + K - O) oneDNN's jit_avx512_common kernel takes
    (0 < pad < K, back pad < K, K < O + front pad) and whose depth loop the
    rule above says is wrong, checked against D 1-6, K 1-13, s 1-3."""
    if (base_kind(record) != "vjp" or record.get("dtype") != "float32"
            or record.get("failed_gradient") != "grad_weight"):
        return False
    spec = record["case"]["spec"]
    if len(spec["kernel_size"]) != 3 or spec["dilation"][0] != 1:
        return False
    if called_padding(record) != "SAME":
        return False
    depth, out = record["case"]["input_shape"][2], called_output(record)[0]
    stride, kernel = spec["stride"][0], effective(spec, 0)
    total = sum(called_crops(record)[0])      # (depth - 1)·stride + kernel - out
    front, back = total // 2, total - total // 2
    if not (0 < front < kernel and back < kernel and kernel < out + front):
        return False                           # another oneDNN kernel (the gemm one) runs it
    return _depth_loop_wrong(out, depth, kernel, stride, front)

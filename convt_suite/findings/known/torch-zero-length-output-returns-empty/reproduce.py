import sys

import torch
import torch.nn.functional as F

x, w = torch.ones(1, 1, 1, 1), torch.ones(1, 1, 4, 4)
def call(padding, output_padding):
    try:
        return tuple(F.conv_transpose2d(x, w, stride=3, padding=padding,
                                        output_padding=output_padding).shape)
    except RuntimeError as err:
        return f"RuntimeError: {str(err)[:70]}"
# full length L = 4; the output length is L - 2 * padding + output_padding
zero, minus_one = call(3, 2), call(3, 1)
print("length 0 ->", zero, "| length -1 ->", minus_one)


def call_in_rank(rank, batch, padding, output_padding):
    """The same call in 1-D (conv_transpose1d) and 3-D (conv_transpose3d), on a batch of `batch`."""
    entry = {1: F.conv_transpose1d, 3: F.conv_transpose3d}[rank]
    try:
        return tuple(entry(torch.ones((batch, 1) + (1,) * rank), torch.ones((1, 1) + (4,) * rank), stride=3,
                           padding=padding, output_padding=output_padding).shape)
    except RuntimeError as err:
        return f"RuntimeError: {str(err)[:70]}"


# the empty tensor comes from oneDNN's kernel: torch picks it for float32 with a batch above 1,
# groups above 1 or a kernel above 3 on both axes (a 1-D call is a 2-D one of height 1, so
# not that), else its own kernel, which refuses ('Calculated output size ... is too small')
in_rank = {(rank, batch): (call_in_rank(rank, batch, 3, 2), call_in_rank(rank, batch, 3, 1))
           for rank, batch in ((3, 1), (1, 2), (1, 1))}
for (rank, batch), (zero_r, minus_one_r) in in_rank.items():
    print(f"{rank}-D, batch {batch}: length 0 ->", zero_r, "| length -1 ->", minus_one_r)
ranks_hold = (in_rank[3, 1][0] == (1, 1, 0, 0, 0) and in_rank[1, 2][0] == (2, 1, 0)
              and isinstance(in_rank[1, 1][0], str) and all(isinstance(r[1], str) for r in in_rank.values()))
if zero == (1, 1, 0, 0) and isinstance(minus_one, str) and ranks_hold:
    print("REPRODUCED: an output length of 0 returns an empty tensor (oneDNN's kernel), -1 raises, in 1-D, 2-D, 3-D")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)

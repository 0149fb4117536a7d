"""test_add_kernel: out = x + y elementwise, for two contiguous tensors of the same shape
(any rank) and dtype; floats are added in float32 and rounded once, integers wrap."""

import torch


def make_inputs(case, gen):
    # dims: the tensor's shape is (A, B, C); a size of 1 collapses that axis.
    shape = (case.dims["A"], case.dims["B"], case.dims["C"])
    if case.dtype.is_floating_point:
        x = torch.randn(shape, generator=gen).to(case.dtype)
        y = torch.randn(shape, generator=gen).to(case.dtype)
    else:
        # The dtype's full range, so sums overflow and wrap around (two's complement).
        info = torch.iinfo(case.dtype)
        x = torch.randint(info.min, info.max, shape, generator=gen, dtype=torch.int64).to(case.dtype)
        y = torch.randint(info.min, info.max, shape, generator=gen, dtype=torch.int64).to(case.dtype)
    return [x, y]


def reference(x, y):
    if x.dtype.is_floating_point:
        return (x.to(torch.float32) + y.to(torch.float32)).to(x.dtype)
    return x + y


def baseline(x, y):
    """What a PyTorch user writes: x + y in the inputs' dtype (16-bit adds round once)."""
    return x + y

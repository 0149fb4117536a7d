"""test_block_copy: out = a contiguous copy of the 2-D tensor x (any strides, any dtype);
values are moved bit for bit."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: layout 0 = contiguous; 1 = rows padded to a pitch of `stride` (a column
    # slice of a wider buffer); 2 = transposed (column-major: x = buf.t() with buf (N, M)).
    layout = int(case.params.get("layout", 0))
    stride = int(case.params.get("stride", n))
    shape = (n, m) if layout == 2 else (m, stride if layout == 1 else n)
    if case.dtype.is_floating_point:
        buf = torch.randn(shape, generator=gen).to(case.dtype)
    else:
        # The dtype's full range, so a detour through float32 would lose low bits.
        info = torch.iinfo(case.dtype)
        buf = torch.randint(info.min, info.max, shape, generator=gen, dtype=torch.int64).to(case.dtype)
    if layout == 2:
        return [buf.t()]
    return [buf[:, :n]]


def reference(x):
    return x.clone(memory_format=torch.contiguous_format)


# The reference is already what a PyTorch user writes.
baseline = reference

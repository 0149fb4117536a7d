"""Hard tanh activation: values below -1 become -1, above 1 become 1, others pass through; one program per 1024-element block."""
import torch
import triton
import triton.language as tl


@triton.jit
def _hardtanh(inp, out, total, B: tl.constexpr):
    i = tl.program_id(0) * B + tl.arange(0, B)
    ok = i < total
    v = tl.load(inp + i, mask=ok)
    v = tl.where(v > 1.0, 1.0, tl.where(v < -1.0, -1.0, v))
    tl.store(out + i, v, mask=ok)


def hard_tanh(x: torch.Tensor) -> torch.Tensor:
    res = torch.empty_like(x)
    _hardtanh[(triton.cdiv(x.numel(), 1024),)](x, res, x.numel(), B=1024)
    return res

"""Partial reduction: the largest absolute value of each 4096-element block, one output per program (a first pass of a two-pass reduction)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _blk_absmax(x_ptr, part_ptr, n, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    v = tl.abs(tl.load(x_ptr + offs, mask=offs < n, other=0.0).to(tl.float32))
    tl.store(part_ptr + pid, tl.max(v, axis=0))


def block_abs_max(x: torch.Tensor) -> torch.Tensor:
    blocks = triton.cdiv(x.numel(), 4096)
    part = torch.empty(blocks, device=x.device, dtype=torch.float32)
    _blk_absmax[(blocks,)](x, part, x.numel(), BLOCK=4096)
    return part

"""Ground truth for swiglu_backward: the three inputs are treated as flat arrays; one
program reads one block of each and writes both gradients."""

import torch
import triton
import triton.language as tl


@triton.jit
def _swiglu_bwd_kernel(dy_ptr, a_ptr, b_ptr, da_ptr, db_ptr, n, BLOCK: tl.constexpr):
    # 64-bit offsets: tokens * hidden may pass 2^31.
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    dy = tl.load(dy_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    a = tl.load(a_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    b = tl.load(b_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    # sigmoid(a) = 1 / (1 + 2^(-a log2 e)): for a -> -inf the exp2 overflows to inf and
    # s becomes 0, so both gradients go to 0 without NaN.
    s = 1.0 / (1.0 + tl.exp2(-1.4426950408889634 * a))
    silu = a * s
    db = dy * silu
    # d silu / da = s + a s (1 - s) = s + silu (1 - s)
    da = dy * b * (s + silu * (1.0 - s))
    tl.store(da_ptr + offs, da.to(da_ptr.dtype.element_ty), mask=mask)
    tl.store(db_ptr + offs, db.to(db_ptr.dtype.element_ty), mask=mask)


def swiglu_backward(grad_out: torch.Tensor, gate: torch.Tensor, up: torch.Tensor):
    d_gate = torch.empty_like(gate)
    d_up = torch.empty_like(up)
    n = gate.numel()
    if n == 0:
        return d_gate, d_up
    block = 1024
    _swiglu_bwd_kernel[(triton.cdiv(n, block),)](grad_out, gate, up, d_gate, d_up, n,
                                                BLOCK=block, num_warps=4)
    return d_gate, d_up

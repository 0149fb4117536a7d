"""Ground truth for multinomial_sampling: one program per row sweeps the row in blocks,
keeps the running prefix sum (block cumsum plus the carried total), and counts the
prefixes <= u. Prefix sums are non-decreasing, so that count is the index of the first
prefix > u: no search and no early exit are needed."""

import torch
import triton
import triton.language as tl


@triton.jit
def _inverse_cdf_kernel(probs_ptr, u_ptr, out_ptr, V, stride_b, BLOCK: tl.constexpr):
    b = tl.program_id(0)
    u = tl.load(u_ptr + b)
    # 64-bit row offset: B * V passes 2^31 for large batches over 128K+ vocabularies.
    row = probs_ptr + b.to(tl.int64) * stride_b
    lanes = tl.arange(0, BLOCK)
    carry = tl.sum(tl.zeros([BLOCK], dtype=tl.float32), axis=0)
    below = tl.zeros([BLOCK], dtype=tl.int32)
    for start in range(0, V, BLOCK):
        offs = start + lanes
        mask = offs < V
        p = tl.load(row + offs, mask=mask, other=0.0)
        cdf = tl.cumsum(p, axis=0) + carry
        below += ((cdf <= u) & mask).to(tl.int32)
        carry += tl.sum(p, axis=0)
    tl.store(out_ptr + b, tl.sum(below, axis=0).to(tl.int64))


def multinomial_sampling(probs: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
    b, v = probs.shape
    out = torch.empty(b, dtype=torch.int64, device=probs.device)
    if b == 0:
        return out
    block = min(4096, triton.next_power_of_2(v))
    _inverse_cdf_kernel[(b,)](probs, u, out, v, probs.stride(0), BLOCK=block, num_warps=8)
    return out

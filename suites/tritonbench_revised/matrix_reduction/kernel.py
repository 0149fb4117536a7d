"""Ground truth for matrix_reduction: a two-stage tree reduction. Stage 1: each program
sums CHUNK = BLOCK * ITERS consecutive elements into one float32 partial. Stage 2: one
program sums the partials. No atomics, so the result is deterministic."""

import torch
import triton
import triton.language as tl


@triton.jit
def _partial_sum_kernel(x_ptr, part_ptr, n, BLOCK: tl.constexpr, ITERS: tl.constexpr):
    pid = tl.program_id(0)
    # 64-bit offsets: n may pass 2^31 elements.
    base = pid.to(tl.int64) * (BLOCK * ITERS)
    lanes = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for i in range(ITERS):
        offs = base + i * BLOCK + lanes
        acc += tl.load(x_ptr + offs, mask=offs < n, other=0.0).to(tl.float32)
    tl.store(part_ptr + pid, tl.sum(acc, axis=0))


@triton.jit
def _final_sum_kernel(part_ptr, out_ptr, num_parts, BLOCK: tl.constexpr):
    lanes = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for start in range(0, num_parts, BLOCK):
        offs = start + lanes
        acc += tl.load(part_ptr + offs, mask=offs < num_parts, other=0.0)
    tl.store(out_ptr, tl.sum(acc, axis=0))


def matrix_reduction(x: torch.Tensor) -> torch.Tensor:
    n = x.numel()
    out = torch.empty(1, dtype=torch.float32, device=x.device)
    block, iters = 4096, 8  # 32K elements (64-128 KiB) per program
    num_parts = max(1, triton.cdiv(n, block * iters))
    parts = torch.empty(num_parts, dtype=torch.float32, device=x.device)
    _partial_sum_kernel[(num_parts,)](x, parts, n, BLOCK=block, ITERS=iters, num_warps=8)
    _final_sum_kernel[(1,)](parts, out, num_parts, BLOCK=1024, num_warps=4)
    return out

"""Ground truth for kldiv_ops: KL divergence with log-space targets and 'batchmean'
reduction, sum(exp(t) * (t - x)) / M. A two-stage deterministic reduction: each program
of stage 1 sums SPAN = BLOCK * ITERS consecutive elements of the flattened inputs into
per-lane float32 accumulators and writes one partial sum; one program of stage 2 adds
the partials in a fixed order and divides by the batch size."""

import torch
import triton
import triton.language as tl

BLOCK = 2048   # elements per load step
ITERS = 16     # load steps per program: 32768 elements (128 KiB of fp32) per partial
SUM_BLOCK = 1024


@triton.jit
def _kldiv_partial_kernel(x_ptr, t_ptr, part_ptr, n, BLOCK: tl.constexpr, ITERS: tl.constexpr):
    pid = tl.program_id(0)
    base = pid.to(tl.int64) * (BLOCK * ITERS)  # 64-bit: n may pass 2^31
    lanes = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], tl.float32)
    for i in range(ITERS):
        offs = base + i * BLOCK + lanes
        mask = offs < n
        x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
        t = tl.load(t_ptr + offs, mask=mask, other=0.0).to(tl.float32)
        # Masked lanes load t = x = 0: exp(0) * (0 - 0) adds exactly 0.
        acc += tl.exp(t) * (t - x)
    tl.store(part_ptr + pid, tl.sum(acc, axis=0))


@triton.jit
def _finish_kernel(part_ptr, out_ptr, num_parts, inv_batch, BLOCK: tl.constexpr):
    lanes = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], tl.float32)
    for start in range(0, num_parts, BLOCK):
        acc += tl.load(part_ptr + start + lanes, mask=start + lanes < num_parts, other=0.0)
    tl.store(out_ptr, tl.sum(acc, axis=0) * inv_batch)


def kldiv_ops(input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    x = input.contiguous()
    t = target.contiguous()
    n = x.numel()
    batch = x.shape[0]
    out = torch.empty((), device=x.device, dtype=torch.float32)
    num_parts = max(1, triton.cdiv(n, BLOCK * ITERS))
    parts = torch.empty((num_parts,), device=x.device, dtype=torch.float32)
    _kldiv_partial_kernel[(num_parts,)](x, t, parts, n, BLOCK=BLOCK, ITERS=ITERS, num_warps=8)
    _finish_kernel[(1,)](parts, out, num_parts, 1.0 / batch, BLOCK=SUM_BLOCK, num_warps=4)
    return out

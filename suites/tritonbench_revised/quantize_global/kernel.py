"""Ground truth for quantize_global: a two-stage absmax reduction, then quantization.
Stage 1: a persistent grid of at most 1024 programs, each folding |x| over its strided
share of BLOCK-element tiles into one partial maximum. Stage 2: one program reduces the
partials to the 0-d absmax. Stage 3: an elementwise pass writes q (x is read twice in
all; the partials stay in L2)."""

import torch
import triton
import triton.language as tl


@triton.jit
def _partial_absmax_kernel(x_ptr, part_ptr, numel, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    nprog = tl.num_programs(0)
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    num_tiles = tl.cdiv(numel, BLOCK)
    for tile in range(pid, num_tiles, nprog):
        # 64-bit offsets: numel can pass 2^31.
        o = tl.cast(tile, tl.int64) * BLOCK + offs
        x = tl.load(x_ptr + o, mask=o < numel, other=0.0).to(tl.float32)
        acc = tl.maximum(acc, tl.abs(x))
    tl.store(part_ptr + pid, tl.max(acc, axis=0))


@triton.jit
def _final_absmax_kernel(part_ptr, amax_ptr, P, BLOCK_P: tl.constexpr):
    offs = tl.arange(0, BLOCK_P)
    p = tl.load(part_ptr + offs, mask=offs < P, other=0.0)
    tl.store(amax_ptr, tl.max(p, axis=0))


@triton.jit
def _quantize_kernel(x_ptr, q_ptr, amax_ptr, numel, BLOCK: tl.constexpr):
    o = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = o < numel
    amax = tl.load(amax_ptr)
    factor = tl.where(amax > 0, 127.0 / amax, 0.0)  # all-zero input: q = 0
    v = tl.load(x_ptr + o, mask=mask, other=0.0).to(tl.float32) * factor
    q = tl.where(v >= 0, tl.floor(v + 0.5), tl.ceil(v - 0.5))  # half away from zero
    q = tl.minimum(tl.maximum(q, -127.0), 127.0)
    tl.store(q_ptr + o, q.to(tl.int8), mask=mask)


def quantize_global(x: torch.Tensor):
    x = x.contiguous()
    numel = x.numel()
    q = torch.empty(x.shape, device=x.device, dtype=torch.int8)
    amax = torch.zeros((), device=x.device, dtype=torch.float32)
    if numel == 0:
        return q, amax
    block = 4096
    nprog = min(1024, triton.cdiv(numel, block))
    partials = torch.empty((nprog,), device=x.device, dtype=torch.float32)
    _partial_absmax_kernel[(nprog,)](x, partials, numel, BLOCK=block, num_warps=8)
    _final_absmax_kernel[(1,)](partials, amax, nprog,
                               BLOCK_P=triton.next_power_of_2(nprog), num_warps=4)
    _quantize_kernel[(triton.cdiv(numel, block),)](x, q, amax, numel, BLOCK=block, num_warps=8)
    return q, amax

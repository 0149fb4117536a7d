"""Ground truth for destindex_copy: each program copies BLOCK_T tokens; a token's H*D
elements are contiguous in both k and the cache, so every token is one contiguous row
copy into the slot dest_loc[i]."""

import torch
import triton
import triton.language as tl


@triton.jit
def _destindex_copy_kernel(k_ptr, dest_ptr, cache_ptr, N, ROW, stride_k, stride_c,
                           BLOCK_T: tl.constexpr, BLOCK_E: tl.constexpr):
    toks = tl.program_id(0) * BLOCK_T + tl.arange(0, BLOCK_T)
    tok_ok = toks < N
    dest = tl.load(dest_ptr + toks, mask=tok_ok, other=0).to(tl.int64)
    cols = tl.arange(0, BLOCK_E)
    # 64-bit row offsets: S * H * D may pass 2^31 elements.
    src = k_ptr + toks.to(tl.int64)[:, None] * stride_k
    dst = cache_ptr + dest[:, None] * stride_c
    for start in range(0, ROW, BLOCK_E):
        c = start + cols
        mask = tok_ok[:, None] & (c[None, :] < ROW)
        vals = tl.load(src + c[None, :], mask=mask)
        tl.store(dst + c[None, :], vals, mask=mask)


def destindex_copy(k, dest_loc, cache):
    n = k.shape[0]
    if n == 0:
        return
    k = k.contiguous()
    row = k.shape[1] * k.shape[2]
    # Up to 2048 elements of a row per step; short rows share a program (~2K elements).
    block_e = min(2048, triton.next_power_of_2(row))
    block_t = max(1, 2048 // block_e)
    _destindex_copy_kernel[(triton.cdiv(n, block_t),)](
        k, dest_loc, cache, n, row, k.stride(0), cache.stride(0),
        BLOCK_T=block_t, BLOCK_E=block_e, num_warps=4)

"""Ground truth for kcache_copy_triton: one program per new token writes its (H, D) key
tile into its block: each head's D elements are contiguous in the cache, so the tile is
H contiguous rows of D, block_size * D elements apart."""

import torch
import triton
import triton.language as tl


@triton.jit
def _kcache_copy_kernel(k_ptr, cache_ptr, lens_ptr, bt_ptr, N, H, D, block_size,
                        stride_kb, stride_kn, stride_kh,
                        stride_cb, stride_ch, stride_co, stride_bt,
                        BLOCK_H: tl.constexpr, BLOCK_D: tl.constexpr):
    pid = tl.program_id(0)
    seq = pid // N
    j = pid % N
    pos = tl.load(lens_ptr + seq) - N + j
    blk = tl.load(bt_ptr + seq * stride_bt + pos // block_size).to(tl.int64)  # 64-bit offsets
    off = pos % block_size
    heads = tl.arange(0, BLOCK_H)
    dims = tl.arange(0, BLOCK_D)
    mask = (heads[:, None] < H) & (dims[None, :] < D)
    src = k_ptr + seq.to(tl.int64) * stride_kb + j * stride_kn + heads[:, None] * stride_kh + dims[None, :]
    vals = tl.load(src, mask=mask)
    dst = cache_ptr + blk * stride_cb + heads[:, None] * stride_ch + off * stride_co + dims[None, :]
    tl.store(dst, vals, mask=mask)


def kcache_copy_triton(k, k_cache, seq_lens, block_tables):
    b, n, h, d = k.shape
    if b * n == 0:
        return
    k = k.contiguous()
    block_h = triton.next_power_of_2(h)
    block_d = triton.next_power_of_2(d)
    warps = 4 if block_h * block_d <= 2048 else 8
    _kcache_copy_kernel[(b * n,)](
        k, k_cache, seq_lens, block_tables, n, h, d, k_cache.shape[2],
        k.stride(0), k.stride(1), k.stride(2),
        k_cache.stride(0), k_cache.stride(1), k_cache.stride(2), block_tables.stride(0),
        BLOCK_H=block_h, BLOCK_D=block_d, num_warps=warps)

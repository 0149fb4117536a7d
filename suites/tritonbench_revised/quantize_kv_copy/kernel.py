"""Ground truth for quantize_kv_copy: the caches are cloned (the inputs must not change),
then each program quantizes BLOCK_R (token, head) vectors of D contiguous elements and
writes them, and their scales, into the destination slots. Consecutive rows of one
token land in consecutive rows of its slot, so stores stay contiguous per token."""

import torch
import triton
import triton.language as tl


@triton.jit
def _quantize_kv_copy_kernel(x_ptr, dest_ptr, cache_ptr, scale_ptr, R, H, D,
                             stride_xr, stride_cs, stride_ch, stride_ss,
                             BLOCK_R: tl.constexpr, BLOCK_D: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_R + tl.arange(0, BLOCK_R)  # row = token * H + head
    row_ok = rows < R
    tok = rows // H
    head = rows % H
    # Slot indices are int64; offsets in 64 bits (S * H * D can pass 2^31).
    slot = tl.load(dest_ptr + tok, mask=row_ok, other=0)
    cols = tl.arange(0, BLOCK_D)
    mask = row_ok[:, None] & (cols[None, :] < D)
    x = tl.load(x_ptr + rows.to(tl.int64)[:, None] * stride_xr + cols[None, :],
                mask=mask, other=0.0).to(tl.float32)
    amax = tl.max(tl.abs(x), axis=1)
    factor = tl.where(amax > 0, 127.0 / amax, 0.0)  # absmax 0: codes 0
    v = x * factor[:, None]
    q = tl.where(v >= 0, tl.floor(v + 0.5), tl.ceil(v - 0.5))  # half away from zero
    q = tl.minimum(tl.maximum(q, -127.0), 127.0).to(tl.int8)
    dst = slot * stride_cs + head.to(tl.int64) * stride_ch
    tl.store(cache_ptr + dst[:, None] + cols[None, :], q, mask=mask)
    tl.store(scale_ptr + slot * stride_ss + head, amax / 127.0, mask=row_ok)


def quantize_kv_copy(x, dest, cache, cache_scale):
    t, h, d = x.shape
    x = x.contiguous()
    out_cache = cache.clone()
    out_scale = cache_scale.clone()
    rows = t * h
    if rows == 0:
        return out_cache, out_scale
    block_d = triton.next_power_of_2(d)
    block_r = max(1, 4096 // block_d)  # ~4K elements per program
    _quantize_kv_copy_kernel[(triton.cdiv(rows, block_r),)](
        x, dest, out_cache, out_scale, rows, h, d,
        d, out_cache.stride(0), out_cache.stride(1), out_scale.stride(0),
        BLOCK_R=block_r, BLOCK_D=block_d, num_warps=4)
    return out_cache, out_scale

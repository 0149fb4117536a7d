"""Ground truth for quantize_copy_kv: the four caches are cloned (inputs must not change),
then one launch quantizes K and V together. Viewing x (T, H, D) as T * H * G rows of 64
contiguous elements (one quantization group each), a program takes BLOCK_R group rows
of K and the same rows of V, reduces each row to its absmax, and writes codes and
scales into the destination slot. A token's H * G groups stay consecutive in its slot,
so both loads and stores are contiguous runs of whole tokens."""

import torch
import triton
import triton.language as tl


@triton.jit
def _quantize_group_rows(x_ptr, cache_ptr, scale_ptr, rows, row_ok, dst, sdst, cols):
    mask = row_ok[:, None]
    x = tl.load(x_ptr + rows.to(tl.int64)[:, None] * 64 + cols[None, :],
                mask=mask, other=0.0).to(tl.float32)
    amax = tl.max(tl.abs(x), axis=1)
    factor = tl.where(amax > 0, 127.0 / amax, 0.0)  # absmax 0: codes 0
    v = x * factor[:, None]
    q = tl.where(v >= 0, tl.floor(v + 0.5), tl.ceil(v - 0.5))  # half away from zero
    q = tl.minimum(tl.maximum(q, -127.0), 127.0).to(tl.int8)
    tl.store(cache_ptr + dst[:, None] + cols[None, :], q, mask=mask)
    tl.store(scale_ptr + sdst, amax / 127.0, mask=row_ok)


@triton.jit
def _quantize_copy_kv_kernel(k_ptr, v_ptr, dest_ptr, kc_ptr, vc_ptr, ks_ptr, vs_ptr,
                             R, HG, stride_kc, stride_vc, stride_ks, stride_vs,
                             BLOCK_R: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_R + tl.arange(0, BLOCK_R)  # (token, head, group)
    row_ok = rows < R
    tok = rows // HG
    j = (rows % HG).to(tl.int64)  # head * G + group inside the token
    # int64 slots: S * H * D can pass 2^31.
    slot = tl.load(dest_ptr + tok, mask=row_ok, other=0)
    cols = tl.arange(0, 64)
    _quantize_group_rows(k_ptr, kc_ptr, ks_ptr, rows, row_ok,
                         slot * stride_kc + j * 64, slot * stride_ks + j, cols)
    _quantize_group_rows(v_ptr, vc_ptr, vs_ptr, rows, row_ok,
                         slot * stride_vc + j * 64, slot * stride_vs + j, cols)


def quantize_copy_kv(k, v, dest, k_cache, v_cache, k_scale, v_scale):
    t, h, d = k.shape
    k = k.contiguous()
    v = v.contiguous()
    new_kc, new_vc = k_cache.clone(), v_cache.clone()
    new_ks, new_vs = k_scale.clone(), v_scale.clone()
    hg = h * (d // 64)
    rows = t * hg
    if rows == 0:
        return new_kc, new_vc, new_ks, new_vs
    block_r = 64  # 4096 elements of K and of V per program
    _quantize_copy_kv_kernel[(triton.cdiv(rows, block_r),)](
        k, v, dest, new_kc, new_vc, new_ks, new_vs, rows, hg,
        new_kc.stride(0), new_vc.stride(0), new_ks.stride(0), new_vs.stride(0),
        BLOCK_R=block_r, num_warps=4)
    return new_kc, new_vc, new_ks, new_vs

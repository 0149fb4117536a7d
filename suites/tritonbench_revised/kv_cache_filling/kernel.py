"""Ground truth for kv_cache_filling: program (b, c) writes chunk c (BLOCK_T tokens) of
sequence b's new tokens. A token's H*D key (and value) elements are contiguous in the
packed input and in its cache slot, so each token is one contiguous row copy."""

import torch
import triton
import triton.language as tl


@triton.jit
def _fill_kernel(k_ptr, v_ptr, kc_ptr, vc_ptr, cu_ptr, prefix_ptr, bt_ptr,
                 ROW, block_size, stride_kt, stride_vt,
                 stride_kcb, stride_kco, stride_vcb, stride_vco, stride_bt,
                 BLOCK_T: tl.constexpr, BLOCK_E: tl.constexpr):
    seq = tl.program_id(0)
    start = tl.load(cu_ptr + seq)
    n = tl.load(cu_ptr + seq + 1) - start
    prefix = tl.load(prefix_ptr + seq)
    t = tl.program_id(1) * BLOCK_T + tl.arange(0, BLOCK_T)
    ok = t < n
    pos = prefix + t
    blk = tl.load(bt_ptr + seq * stride_bt + pos // block_size, mask=ok, other=0).to(tl.int64)
    off = pos % block_size
    row = (start + t).to(tl.int64)  # 64-bit offsets: caches may pass 2^31 elements
    k_src = k_ptr + row[:, None] * stride_kt
    v_src = v_ptr + row[:, None] * stride_vt
    k_dst = kc_ptr + blk[:, None] * stride_kcb + off[:, None] * stride_kco
    v_dst = vc_ptr + blk[:, None] * stride_vcb + off[:, None] * stride_vco
    cols = tl.arange(0, BLOCK_E)
    for e0 in range(0, ROW, BLOCK_E):
        c = (e0 + cols)[None, :]
        mask = ok[:, None] & (c < ROW)
        tl.store(k_dst + c, tl.load(k_src + c, mask=mask), mask=mask)
        tl.store(v_dst + c, tl.load(v_src + c, mask=mask), mask=mask)


def kv_cache_filling(key, value, key_cache, value_cache, cu_seqlens, prefix_lens,
                     block_tables, max_seqlen):
    b = prefix_lens.shape[0]
    if key.shape[0] == 0 or b == 0 or max_seqlen == 0:
        return
    key = key.contiguous()
    value = value.contiguous()
    row = key.shape[1] * key.shape[2]
    block_e = min(1024, triton.next_power_of_2(row))
    block_t = max(1, 2048 // block_e)
    grid = (b, triton.cdiv(max_seqlen, block_t))
    _fill_kernel[grid](key, value, key_cache, value_cache, cu_seqlens, prefix_lens, block_tables,
                       row, key_cache.shape[1], key.stride(0), value.stride(0),
                       key_cache.stride(0), key_cache.stride(1),
                       value_cache.stride(0), value_cache.stride(1), block_tables.stride(0),
                       BLOCK_T=block_t, BLOCK_E=block_e, num_warps=4)

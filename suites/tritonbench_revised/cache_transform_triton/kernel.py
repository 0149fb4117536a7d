"""Ground truth for cache_transform_triton: one program per token. The token's H*D key
and value elements are read as one contiguous vector and scattered into the x-split
key cache (runs of x elements = 16 bytes stay contiguous) and the value cache (one
element per block_size stride, as the layout dictates)."""

import torch
import triton
import triton.language as tl


@triton.jit
def _reshape_and_cache_kernel(key_ptr, value_ptr, kc_ptr, vc_ptr, slot_ptr,
                              stride_kt, stride_vt,
                              kc_sb, kc_sh, kc_sd, kc_so,
                              vc_sb, vc_sh, vc_sd, vc_so,
                              block_size, H, D,
                              X: tl.constexpr, BLOCK: tl.constexpr):
    tok = tl.program_id(0)
    slot = tl.load(slot_ptr + tok).to(tl.int64)
    if slot >= 0:
        blk = slot // block_size
        off = slot % block_size
        e = tl.arange(0, BLOCK)
        mask = e < H * D
        h = e // D
        d = e % D
        t64 = tok.to(tl.int64)  # 64-bit: N * H * D may pass 2^31
        k = tl.load(key_ptr + t64 * stride_kt + e, mask=mask)
        v = tl.load(value_ptr + t64 * stride_vt + e, mask=mask)
        k_dst = kc_ptr + blk * kc_sb + h * kc_sh + (d // X) * kc_sd + off * kc_so + d % X
        v_dst = vc_ptr + blk * vc_sb + h * vc_sh + d * vc_sd + off * vc_so
        tl.store(k_dst, k, mask=mask)
        tl.store(v_dst, v, mask=mask)


def cache_transform_triton(key, value, key_cache, value_cache, slot_mapping):
    n, h, d = key.shape
    if n == 0:
        return
    x = key_cache.shape[4]
    block_size = key_cache.shape[3]
    key = key.contiguous()
    value = value.contiguous()
    block = triton.next_power_of_2(h * d)
    _reshape_and_cache_kernel[(n,)](
        key, value, key_cache, value_cache, slot_mapping,
        key.stride(0), value.stride(0),
        key_cache.stride(0), key_cache.stride(1), key_cache.stride(2), key_cache.stride(3),
        value_cache.stride(0), value_cache.stride(1), value_cache.stride(2), value_cache.stride(3),
        block_size, h, d, X=x, BLOCK=block, num_warps=4 if block <= 2048 else 8)

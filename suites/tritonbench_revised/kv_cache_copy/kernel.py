"""Ground truth for kv_cache_copy: program (i, c) copies chunk c of pair i's block in
both the key and the value cache. A block (block_size * H * D elements) is contiguous,
so each chunk is a straight contiguous copy."""

import torch
import triton
import triton.language as tl


@triton.jit
def _copy_blocks_kernel(kc_ptr, vc_ptr, map_ptr, numel, stride_kb, stride_vb,
                        BLOCK: tl.constexpr):
    pair = tl.program_id(0)
    chunk = tl.program_id(1)
    src = tl.load(map_ptr + 2 * pair).to(tl.int64)  # 64-bit: whole caches pass 2^31
    dst = tl.load(map_ptr + 2 * pair + 1).to(tl.int64)
    offs = chunk * BLOCK + tl.arange(0, BLOCK)
    mask = offs < numel
    k = tl.load(kc_ptr + src * stride_kb + offs, mask=mask)
    v = tl.load(vc_ptr + src * stride_vb + offs, mask=mask)
    tl.store(kc_ptr + dst * stride_kb + offs, k, mask=mask)
    tl.store(vc_ptr + dst * stride_vb + offs, v, mask=mask)


def kv_cache_copy(key_cache, value_cache, block_mapping):
    p = block_mapping.shape[0]
    if p == 0:
        return
    block_mapping = block_mapping.contiguous()
    numel = key_cache[0].numel()
    block = min(4096, triton.next_power_of_2(numel))
    grid = (p, triton.cdiv(numel, block))
    _copy_blocks_kernel[grid](key_cache, value_cache, block_mapping, numel,
                              key_cache.stride(0), value_cache.stride(0),
                              BLOCK=block, num_warps=4 if block <= 2048 else 8)

"""Ground truth for destindex_copy_kv1: each program moves BLOCK_T tokens. A token's
key row (H*D elements) and value row are each contiguous, and land back to back in
the token's slot of the fused buffer (keys first), so both copies are row copies."""

import torch
import triton
import triton.language as tl


@triton.jit
def _destindex_copy_kv_kernel(k_ptr, v_ptr, dest_ptr, buf_ptr, N, ROW,
                              stride_k, stride_v, stride_b,
                              BLOCK_T: tl.constexpr, BLOCK_E: tl.constexpr):
    toks = tl.program_id(0) * BLOCK_T + tl.arange(0, BLOCK_T)
    tok_ok = toks < N
    # int32 slot indices widened to 64 bits: S * 2H * D may pass 2^31 elements.
    dest = tl.load(dest_ptr + toks, mask=tok_ok, other=0).to(tl.int64)
    t64 = toks.to(tl.int64)
    k_src = k_ptr + t64[:, None] * stride_k
    v_src = v_ptr + t64[:, None] * stride_v
    k_dst = buf_ptr + dest[:, None] * stride_b
    v_dst = k_dst + ROW  # value heads follow the H key heads of the same slot
    cols = tl.arange(0, BLOCK_E)
    for start in range(0, ROW, BLOCK_E):
        c = (start + cols)[None, :]
        mask = tok_ok[:, None] & (c < ROW)
        kv = tl.load(k_src + c, mask=mask)
        vv = tl.load(v_src + c, mask=mask)
        tl.store(k_dst + c, kv, mask=mask)
        tl.store(v_dst + c, vv, mask=mask)


def destindex_copy_kv1(k, v, dest_loc, kv_buffer):
    n, h, d = k.shape
    if n == 0:
        return
    k = k.contiguous()
    v = v.contiguous()
    row = h * d
    block_e = min(2048, triton.next_power_of_2(row))
    block_t = max(1, 2048 // block_e)
    _destindex_copy_kv_kernel[(triton.cdiv(n, block_t),)](
        k, v, dest_loc, kv_buffer, n, row, k.stride(0), v.stride(0), kv_buffer.stride(0),
        BLOCK_T=block_t, BLOCK_E=block_e, num_warps=4)

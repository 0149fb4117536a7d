"""Ground truth for token_attn_reduceV: program (b, j) accumulates request b's output for
all G = Hq / Hkv query heads that share kv head j. It walks the request's positions in
tiles of BLOCK_N, gathers the tile's value rows once through req_to_token (each cached
value row is read once for the whole group) and adds (G x BLOCK_N weights) @ (BLOCK_N x
D values) with tl.dot into a float32 accumulator, the G weight rows padded to 16."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _token_reduce_v_kernel(p_ptr, v_ptr, o_ptr, r2t_ptr, start_ptr, len_ptr,
                           stride_ph, stride_vt, stride_vh, stride_ob, stride_oh, stride_rb,
                           GROUP: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_G: tl.constexpr,
                           BLOCK_D: tl.constexpr, BLOCK_N: tl.constexpr, UPCAST: tl.constexpr):
    b = tl.program_id(0).to(tl.int64)
    kvh = tl.program_id(1)
    n = tl.load(len_ptr + b)
    start = tl.load(start_ptr + b).to(tl.int64)
    offs_g = tl.arange(0, BLOCK_G)
    g_ok = offs_g < GROUP
    heads = (kvh * GROUP + offs_g).to(tl.int64)
    offs_d = tl.arange(0, BLOCK_D)
    d_ok = offs_d < HEAD_DIM
    offs_n = tl.arange(0, BLOCK_N)
    # 64-bit offsets: Hq * total_tokens and pool rows * Hkv * D may pass 2^31.
    p_rows = p_ptr + heads[:, None] * stride_ph + start
    v_head = v_ptr + kvh * stride_vh + offs_d[None, :]
    acc = tl.zeros([BLOCK_G, BLOCK_D], dtype=tl.float32)
    for n0 in range(0, n, BLOCK_N):
        cols = n0 + offs_n
        ok = cols < n
        rows = tl.load(r2t_ptr + b * stride_rb + cols, mask=ok, other=0).to(tl.int64)
        # Positions past the request's end get weight 0 and value 0 (their table
        # entries are stale and never dereferenced: the load is masked).
        p = tl.load(p_rows + cols[None, :], mask=g_ok[:, None] & ok[None, :], other=0.0)
        vals = tl.load(v_head + rows[:, None] * stride_vt, mask=ok[:, None] & d_ok[None, :], other=0.0)
        if UPCAST:
            # The CPU interpreter's bf16 tl.dot is wrong; bf16 -> fp32 is exact.
            vals = vals.to(tl.float32)
        # Weights are rounded to v's dtype so the product runs on the matrix units.
        acc = tl.dot(p.to(vals.dtype), vals, acc)
    tl.store(o_ptr + b * stride_ob + heads[:, None] * stride_oh + offs_d[None, :],
             acc.to(o_ptr.dtype.element_ty), mask=g_ok[:, None] & d_ok[None, :])


def token_attn_reduceV(probs: torch.Tensor, v: torch.Tensor, req_to_token: torch.Tensor,
                       b_start_loc: torch.Tensor, b_seq_len: torch.Tensor,
                       max_len_in_batch: int) -> torch.Tensor:
    hq = probs.shape[0]
    _, hkv, head_dim = v.shape
    batch = b_seq_len.shape[0]
    group = hq // hkv
    probs = probs if probs.stride(-1) == 1 else probs.contiguous()
    v = v if v.stride(-1) == 1 else v.contiguous()
    req_to_token = req_to_token if req_to_token.stride(-1) == 1 else req_to_token.contiguous()
    out = torch.empty((batch, hq, head_dim), device=v.device, dtype=v.dtype)
    if out.numel() == 0:
        return out
    block_d = max(16, triton.next_power_of_2(head_dim))
    block_g = max(16, triton.next_power_of_2(group))  # tl.dot needs M >= 16
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        # Small tiles, so the short test requests span several tiles and a tail.
        block_n, warps, stages = 16, 4, 1
    elif torch.version.hip:
        # MI300: 64-lane waves, no cp.async pipelining: one stage, wider tiles.
        block_n, warps, stages = 64, 4, 1
    else:
        # H100/H200: 64-position tiles (16 KB of values at D = 128, fp16), 3 stages in
        # flight; with B * Hkv = 512 programs of 4 warps every SM holds ~4 at once.
        block_n, warps, stages = (64, 4, 3) if block_d <= 128 else (32, 4, 3)
    grid = (batch, hkv)
    _token_reduce_v_kernel[grid](
        probs, v, out, req_to_token, b_start_loc, b_seq_len,
        probs.stride(0), v.stride(0), v.stride(1), out.stride(0), out.stride(1),
        req_to_token.stride(0),
        GROUP=group, HEAD_DIM=head_dim, BLOCK_G=block_g, BLOCK_D=block_d, BLOCK_N=block_n,
        UPCAST=interpret and v.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return out

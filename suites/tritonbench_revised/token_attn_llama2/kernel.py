"""Ground truth for token_attn_llama2: program (b, j, t) scores tile t (BLOCK_N
positions) of request b against all G = Hq / Hkv query heads that share kv head j. The
tile's pool rows are gathered once through req_to_token and used by every head of the
group, so each cached key row is read once; the G query rows (padded to 16 for the
matrix units) times the gathered (D, BLOCK_N) key tile is one tl.dot."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _token_scores_kernel(q_ptr, k_ptr, att_ptr, r2t_ptr, start_ptr, len_ptr,
                         stride_qb, stride_qh, stride_kt, stride_kh, stride_ah, stride_rb,
                         sm_scale,
                         GROUP: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_G: tl.constexpr,
                         BLOCK_D: tl.constexpr, BLOCK_N: tl.constexpr, UPCAST: tl.constexpr):
    b = tl.program_id(0)
    kvh = tl.program_id(1)
    n0 = tl.program_id(2) * BLOCK_N
    seq_len = tl.load(len_ptr + b)
    # The grid covers the longest request; tiles past this request's end do nothing.
    if n0 < seq_len:
        start = tl.load(start_ptr + b).to(tl.int64)
        offs_g = tl.arange(0, BLOCK_G)
        g_ok = offs_g < GROUP
        heads = (kvh * GROUP + offs_g).to(tl.int64)
        offs_d = tl.arange(0, BLOCK_D)
        d_ok = offs_d < HEAD_DIM
        q = tl.load(q_ptr + b.to(tl.int64) * stride_qb + heads[:, None] * stride_qh
                    + offs_d[None, :], mask=g_ok[:, None] & d_ok[None, :], other=0.0)

        offs_n = n0 + tl.arange(0, BLOCK_N)
        n_ok = offs_n < seq_len
        # 64-bit row offsets: pool rows * Hkv * D can pass 2^31 elements.
        rows = tl.load(r2t_ptr + b.to(tl.int64) * stride_rb + offs_n, mask=n_ok, other=0).to(tl.int64)
        # The key tile is loaded transposed, (BLOCK_D, BLOCK_N), so q @ kT is a plain dot.
        kt = tl.load(k_ptr + rows[None, :] * stride_kt + kvh * stride_kh + offs_d[:, None],
                     mask=d_ok[:, None] & n_ok[None, :], other=0.0)
        if UPCAST:
            # The CPU interpreter's bf16 tl.dot is wrong; bf16 -> fp32 is exact.
            q = q.to(tl.float32)
            kt = kt.to(tl.float32)
        # float32 accumulation of the exact half-precision products; the scale is applied
        # to the float32 result (scaling q first would round it to half precision).
        s = tl.dot(q, kt) * sm_scale
        cols = start + offs_n
        tl.store(att_ptr + heads[:, None] * stride_ah + cols[None, :], s,
                 mask=g_ok[:, None] & n_ok[None, :])


def token_attn_llama2(q: torch.Tensor, k: torch.Tensor, req_to_token: torch.Tensor,
                      b_start_loc: torch.Tensor, b_seq_len: torch.Tensor, total_tokens: int,
                      max_len_in_batch: int, sm_scale: float) -> torch.Tensor:
    batch, hq, head_dim = q.shape
    hkv = k.shape[1]
    group = hq // hkv
    q = q if q.stride(-1) == 1 else q.contiguous()
    k = k if k.stride(-1) == 1 else k.contiguous()
    req_to_token = req_to_token if req_to_token.stride(-1) == 1 else req_to_token.contiguous()
    att = torch.empty((hq, total_tokens), device=q.device, dtype=torch.float32)
    if att.numel() == 0 or batch == 0:
        return att
    block_d = max(16, triton.next_power_of_2(head_dim))
    block_g = max(16, triton.next_power_of_2(group))  # tl.dot needs M >= 16
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        # Small tiles, so the short test requests span several tiles and a tail.
        block_n, warps, stages = 16, 4, 1
    elif torch.version.hip:
        # MI300: 64-lane waves; no cp.async pipelining, one stage.
        block_n, warps, stages = 128, 4, 1
    else:
        # H100/H200: a 128-position tile is 32 KB of keys (D = 128, fp16) per program;
        # the gather is latency-bound, so many small programs keep HBM busy.
        block_n, warps, stages = (128, 4, 2) if block_d <= 128 else (64, 4, 2)
    grid = (batch, hkv, triton.cdiv(max_len_in_batch, block_n))
    _token_scores_kernel[grid](
        q, k, att, req_to_token, b_start_loc, b_seq_len,
        q.stride(0), q.stride(1), k.stride(0), k.stride(1), att.stride(0), req_to_token.stride(0),
        sm_scale,
        GROUP=group, HEAD_DIM=head_dim, BLOCK_G=block_g, BLOCK_D=block_d, BLOCK_N=block_n,
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return att

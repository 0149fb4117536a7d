"""Ground truth for attention_score: writes the softmax probabilities P (B, H, Sq, Sk).
A program owns BLOCK_M query rows of one (batch, head). Pass 1 streams the key tiles and
keeps each row's running max and rescaled sum in float32 (log2 domain); pass 2 recomputes
every score tile and stores exp2(s - m) / l in P's dtype, so each P element is written
exactly once and never read back. With causal, the tiles right of the diagonal are
only filled with zeros."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _score_tile(q, k_head, rows, cols, dd, SQ, SK, qk_scale,
                HEAD_DIM: tl.constexpr, CAUSAL: tl.constexpr, UPCAST: tl.constexpr):
    """Scaled (log2-domain) scores of one (BLOCK_M, BLOCK_N) tile, -inf where masked."""
    kmask = (cols[:, None] < SK) & (dd[None, :] < HEAD_DIM)
    k = tl.load(k_head + cols[:, None] * HEAD_DIM + dd[None, :], mask=kmask, other=0.0)
    if UPCAST:
        k = k.to(tl.float32)
    s = tl.dot(q, tl.trans(k)) * qk_scale
    ok = cols[None, :] < SK
    if CAUSAL:
        ok = ok & (cols[None, :] <= rows[:, None])
    return tl.where(ok, s, float("-inf"))


@triton.jit
def _attn_score_kernel(q_ptr, k_ptr, p_ptr, SQ, SK, qk_scale,
                       HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                       BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                       CAUSAL: tl.constexpr, UPCAST: tl.constexpr):
    pid_m = tl.program_id(0)
    bh = tl.program_id(1).to(tl.int64)  # 64-bit: B*H*Sq*Sk passes 2^31 at LLM sizes
    q_head = q_ptr + bh * SQ * HEAD_DIM
    k_head = k_ptr + bh * SK * HEAD_DIM
    p_head = p_ptr + bh * SQ * SK

    rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    dd = tl.arange(0, BLOCK_D)
    offs_n = tl.arange(0, BLOCK_N)
    q = tl.load(q_head + rows[:, None] * HEAD_DIM + dd[None, :],
                mask=(rows[:, None] < SQ) & (dd[None, :] < HEAD_DIM), other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    if CAUSAL:
        kv_end = tl.minimum((pid_m + 1) * BLOCK_M, SK)  # BLOCK_M is a multiple of BLOCK_N
    else:
        kv_end = SK

    # Pass 1: row max m and sum l of exp2(s - m). The first tile holds key 0, valid for
    # every row, so m is finite after it.
    m_i = tl.full([BLOCK_M], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    for n0 in range(0, kv_end, BLOCK_N):
        s = _score_tile(q, k_head, rows, n0 + offs_n, dd, SQ, SK, qk_scale,
                        HEAD_DIM, CAUSAL, UPCAST)
        m_new = tl.maximum(m_i, tl.max(s, 1))
        l_i = l_i * tl.math.exp2(m_i - m_new) + tl.sum(tl.math.exp2(s - m_new[:, None]), 1)
        m_i = m_new
    inv_l = 1.0 / l_i

    # Pass 2: normalised probabilities, one store per element.
    row_ok = rows[:, None] < SQ
    for n0 in range(0, kv_end, BLOCK_N):
        cols = n0 + offs_n
        s = _score_tile(q, k_head, rows, cols, dd, SQ, SK, qk_scale, HEAD_DIM, CAUSAL, UPCAST)
        p = tl.math.exp2(s - m_i[:, None]) * inv_l[:, None]
        tl.store(p_head + rows[:, None] * SK + cols[None, :], p.to(p_ptr.dtype.element_ty),
                 mask=row_ok & (cols[None, :] < SK))
    if CAUSAL:
        zero = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.float32).to(p_ptr.dtype.element_ty)
        for n0 in range(kv_end, SK, BLOCK_N):
            cols = n0 + offs_n
            tl.store(p_head + rows[:, None] * SK + cols[None, :], zero,
                     mask=row_ok & (cols[None, :] < SK))


def attention_score(q: torch.Tensor, k: torch.Tensor, causal: bool,
                    sm_scale: float) -> torch.Tensor:
    q, k = q.contiguous(), k.contiguous()
    batch, heads, sq, head_dim = q.shape
    sk = k.shape[2]
    p = torch.empty((batch, heads, sq, sk), device=q.device, dtype=q.dtype)
    if p.numel() == 0:
        return p
    block_d = max(16, triton.next_power_of_2(head_dim))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        block_m, block_n, warps, stages = 16, 16, 4, 1
    elif torch.version.hip:
        block_m, block_n, warps, stages = (128, 64, 4, 1) if block_d <= 128 else (64, 64, 4, 1)
    else:
        # Hopper: 128-row Q tile in registers, K tiles double/triple buffered; the P tile
        # (128 x 64 x 2 bytes) is stored straight from registers.
        block_m, block_n, warps, stages = (128, 64, 8, 3) if block_d <= 128 else (64, 64, 4, 2)
    grid = (triton.cdiv(sq, block_m), batch * heads)
    _attn_score_kernel[grid](
        q, k, p, sq, sk, sm_scale * LOG2E,
        HEAD_DIM=head_dim, BLOCK_D=block_d, BLOCK_M=block_m, BLOCK_N=block_n,
        CAUSAL=bool(causal),
        # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return p

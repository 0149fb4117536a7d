"""Ground truth for fused_recurrent_retention: one program per (batch * head, block of
BLOCK_V value columns) keeps its (K, BLOCK_V) slice of the retention state in float32
registers and walks the sequence one step at a time:
    S = gamma_h * S + k_t^T v_t,   o_t = (q_t * K^-0.5) S.
Each value block needs only its own columns of S, so blocks never exchange data."""

import torch
import triton
import triton.language as tl

BLOCK_V = 32  # value columns per program; more programs in flight for small B * H


@triton.jit
def _retention_fwd_kernel(q_ptr, k_ptr, v_ptr, o_ptr, T, H, K, V, scale,
                          BLOCK_K: tl.constexpr, BLOCK_V: tl.constexpr):
    pid_v = tl.program_id(0)
    bh = tl.program_id(1)
    # Per-head decay 1 - 2^(-5 - h), formed in float32 as the definition states.
    gamma = 1.0 - tl.exp2(-5.0 - (bh % H).to(tl.float32))
    bh64 = bh.to(tl.int64)  # 64-bit: B * H * T * K may pass 2^31
    ks = tl.arange(0, BLOCK_K)
    vs = pid_v * BLOCK_V + tl.arange(0, BLOCK_V)
    kmask = ks < K
    vmask = vs < V
    q_row = q_ptr + bh64 * T * K + ks
    k_row = k_ptr + bh64 * T * K + ks
    v_row = v_ptr + bh64 * T * V + vs
    o_row = o_ptr + bh64 * T * V + vs
    state = tl.zeros([BLOCK_K, BLOCK_V], tl.float32)
    for _ in range(T):
        q = tl.load(q_row, mask=kmask, other=0.0).to(tl.float32) * scale
        k = tl.load(k_row, mask=kmask, other=0.0).to(tl.float32)
        v = tl.load(v_row, mask=vmask, other=0.0).to(tl.float32)
        # Padding rows/columns of the state stay 0: k and v load 0 there.
        state = state * gamma + k[:, None] * v[None, :]
        o = tl.sum(q[:, None] * state, axis=0)
        tl.store(o_row, o, mask=vmask)
        q_row += K
        k_row += K
        v_row += V
        o_row += V


def fused_recurrent_retention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    bsz, heads, seqlen, dk = q.shape
    dv = v.shape[-1]
    o = torch.empty((bsz, heads, seqlen, dv), device=q.device, dtype=torch.float32)
    block_k = triton.next_power_of_2(dk)
    block_v = min(BLOCK_V, triton.next_power_of_2(dv))
    grid = (triton.cdiv(dv, block_v), bsz * heads)
    _retention_fwd_kernel[grid](q, k, v, o, seqlen, heads, dk, dv, dk ** -0.5,
                                BLOCK_K=block_k, BLOCK_V=block_v,
                                num_warps=4 if block_k * block_v >= 2048 else 1)
    return o

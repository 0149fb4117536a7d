"""Ground truth for chunk_gla_simple: chunked simple gated linear attention (one scalar
log-space gate per head and step). One program per (batch*head, V tile) walks the
sequence chunk by chunk, keeping the (K, BV) state in float32 registers:
    within a chunk with cumulative gates b_i = g_1 + ... + g_i (chunk-local),
    o_i = scale * q_i exp(b_i) S_prev + sum_{j<=i} scale * (q_i . k_j) exp(b_i - b_j) v_j
    S_next = exp(b_last) S_prev + sum_j exp(b_last - b_j) k_j^T v_j."""

import torch
import triton
import triton.language as tl

CHUNK = 64  # chunk length (tokens per intra-chunk attention block)


@triton.jit
def _chunk_gla_simple_kernel(q_ptr, k_ptr, v_ptr, g_ptr, o_ptr, T, K, V, scale,
                             BT: tl.constexpr, BK: tl.constexpr, BV: tl.constexpr):
    bh = tl.program_id(0).to(tl.int64)  # 64-bit: B*H*T*K may pass 2^31
    iv = tl.program_id(1)
    q_base = q_ptr + bh * T * K
    k_base = k_ptr + bh * T * K
    v_base = v_ptr + bh * T * V
    o_base = o_ptr + bh * T * V
    g_base = g_ptr + bh * T
    rt = tl.arange(0, BT)
    rk = tl.arange(0, BK)
    rv = iv * BV + tl.arange(0, BV)
    mk = rk < K
    mv = rv < V
    causal = rt[:, None] >= rt[None, :]
    state = tl.zeros([BK, BV], dtype=tl.float32)
    for c in range(0, tl.cdiv(T, BT)):
        t = c * BT + rt
        mt = t < T
        # Padding rows load zeros: k = v = 0 adds nothing to the state and g = 0 leaves
        # the chunk's total decay equal to that of its last real row.
        qk_off = t[:, None] * K + rk[None, :]
        mqk = mt[:, None] & mk[None, :]
        b_q = tl.load(q_base + qk_off, mask=mqk, other=0.0).to(tl.float32)
        b_k = tl.load(k_base + qk_off, mask=mqk, other=0.0).to(tl.float32)
        v_off = t[:, None] * V + rv[None, :]
        mtv = mt[:, None] & mv[None, :]
        b_v = tl.load(v_base + v_off, mask=mtv, other=0.0).to(tl.float32)
        b_g = tl.load(g_base + t, mask=mt, other=0.0).to(tl.float32)
        b_cum = tl.cumsum(b_g, axis=0)  # chunk-local cumulative log decay, <= 0
        b_last = tl.sum(b_g, axis=0)
        # Inter-chunk part: queries decayed from the chunk start read the carried state.
        q_dec = b_q * (tl.exp(b_cum) * scale)[:, None]
        acc = tl.dot(q_dec, state)
        # Intra-chunk part: causal scores with the pairwise decay exp(b_i - b_j) <= 1; the
        # exponent is masked before exp so j > i never overflows.
        scores = tl.dot(b_q, tl.trans(b_k)) * scale
        diff = tl.where(causal, b_cum[:, None] - b_cum[None, :], float("-inf"))
        scores = scores * tl.exp(diff)
        acc += tl.dot(scores, b_v)
        tl.store(o_base + v_off, acc.to(o_ptr.dtype.element_ty), mask=mtv)
        # Carry the state to the end of this chunk.
        k_dec = b_k * tl.exp(b_last - b_cum)[:, None]
        state = state * tl.exp(b_last) + tl.dot(tl.trans(k_dec), b_v)


def chunk_gla_simple(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                     g: torch.Tensor) -> torch.Tensor:
    B, H, T, K = q.shape
    V = v.shape[-1]
    assert K <= 256, "the whole key dimension is kept in one tile"
    q, k, v, g = q.contiguous(), k.contiguous(), v.contiguous(), g.contiguous()
    o = torch.empty((B, H, T, V), device=q.device, dtype=q.dtype)
    scale = K ** -0.5
    BK = max(16, triton.next_power_of_2(K))  # tl.dot needs every dimension >= 16
    BV = max(16, min(64, triton.next_power_of_2(V)))
    grid = (B * H, triton.cdiv(V, BV))
    _chunk_gla_simple_kernel[grid](q, k, v, g, o, T, K, V, scale,
                                   BT=CHUNK, BK=BK, BV=BV,
                                   num_warps=8 if BK >= 128 else 4)
    return o

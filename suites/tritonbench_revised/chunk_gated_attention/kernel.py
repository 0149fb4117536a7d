"""Ground truth for chunk_gated_attention: gated linear attention with a data-dependent
scalar forget gate (given as logits) and a sigmoid output gate, in chunked form. One
program owns one (batch, head) pair and a BV-wide slice of the value dim and walks T in
chunks of chunk_size rows, keeping the (K, BV) state in float32 registers. With the
per-step log decay a_t = logsigmoid(f_t) and its chunk-local cumulative sum b_i:
    o_i = sigmoid(z_i) * scale * (exp(b_i) q_i S_prev
                                  + sum_{j <= i} exp(b_i - b_j) (q_i . k_j) v_j)
    S_next = exp(b_last) S_prev + sum_j exp(b_last - b_j) k_j^T v_j.
Every decay factor is exp of a difference <= 0 (masked to -inf above the diagonal before
the exp), so nothing overflows however fast the gates forget."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _chunk_gated_attn_kernel(q_ptr, k_ptr, v_ptr, f_ptr, z_ptr, o_ptr, T, K, V, scale,
                             BT: tl.constexpr, BK: tl.constexpr, BV: tl.constexpr,
                             UPCAST: tl.constexpr):
    i_v = tl.program_id(0)
    i_bh = tl.program_id(1).to(tl.int64)  # 64-bit: B*H*T*K may pass 2^31
    rt = tl.arange(0, BT)
    rk = tl.arange(0, BK)
    rv = i_v * BV + tl.arange(0, BV)
    mk = rk < K
    mv = rv < V
    q_base = q_ptr + i_bh * T * K
    k_base = k_ptr + i_bh * T * K
    v_base = v_ptr + i_bh * T * V
    z_base = z_ptr + i_bh * T * V
    o_base = o_ptr + i_bh * T * V
    f_base = f_ptr + i_bh * T
    causal = rt[:, None] >= rt[None, :]

    S = tl.zeros([BK, BV], dtype=tl.float32)
    for c0 in range(0, T, BT):
        rows = c0 + rt
        mt = rows < T
        mtk = mt[:, None] & mk[None, :]
        mtv = mt[:, None] & mv[None, :]
        # Rows past T load q = k = v = 0 and get a = 0, so the chunk's total decay is that
        # of its last real row.
        q = tl.load(q_base + rows[:, None] * K + rk[None, :], mask=mtk, other=0.0)
        k = tl.load(k_base + rows[:, None] * K + rk[None, :], mask=mtk, other=0.0)
        v = tl.load(v_base + rows[:, None] * V + rv[None, :], mask=mtv, other=0.0)
        if UPCAST:
            # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
            q = q.to(tl.float32)
            k = k.to(tl.float32)
            v = v.to(tl.float32)
        f = tl.load(f_base + rows, mask=mt, other=0.0).to(tl.float32)
        # logsigmoid(f) = min(f, 0) - log(1 + exp(-|f|)), stable for either sign.
        a = tl.minimum(f, 0.0) - tl.log(1.0 + tl.exp(-tl.abs(f)))
        a = tl.where(mt, a, 0.0)
        b = tl.cumsum(a, axis=0)          # chunk-local cumulative log decay, <= 0
        b_last = tl.sum(a, axis=0)
        # Inter-chunk part: the state read by the raw queries, decayed per row afterwards
        # in float32 (q is not rescaled before the dot: no extra rounding).
        acc = tl.dot(q, S.to(q.dtype)) * tl.exp(b)[:, None]
        # Intra-chunk part: causal scores times exp(b_i - b_j), rounded to v's dtype.
        dec = tl.exp(tl.where(causal, b[:, None] - b[None, :], float("-inf")))
        s = tl.dot(q, tl.trans(k)) * dec
        acc = tl.dot(s.to(v.dtype), v, acc)
        zg = tl.load(z_base + rows[:, None] * V + rv[None, :], mask=mtv, other=0.0).to(tl.float32)
        out = acc * scale * (1.0 / (1.0 + tl.exp(-zg)))
        tl.store(o_base + rows[:, None] * V + rv[None, :], out.to(o_ptr.dtype.element_ty), mask=mtv)
        # Carry the state to the end of the chunk; keys decayed to the chunk end (<= 1).
        kd = (k * tl.exp(b_last - b)[:, None]).to(k.dtype)
        S = S * tl.exp(b_last) + tl.dot(tl.trans(kd), v)


def chunk_gated_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, f: torch.Tensor,
                          z: torch.Tensor, scale: float, chunk_size: int) -> torch.Tensor:
    B, H, T, K = q.shape
    V = v.shape[-1]
    assert chunk_size in (16, 32, 64, 128), "chunk_size must be 16, 32, 64 or 128"
    q, k, v, f, z = (x.contiguous() for x in (q, k, v, f, z))
    o = torch.empty((B, H, T, V), device=q.device, dtype=q.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    BK = max(16, triton.next_power_of_2(K))  # tl.dot needs every dim >= 16
    if interpret:
        # 16-wide value slices, so small V still spans several programs and a tail.
        BV, warps = 16, 4
    elif torch.version.hip:
        # MI300: 64-lane waves; one 64-wide value slice keeps q, k and S in registers.
        BV, warps = max(16, min(64, triton.next_power_of_2(V))), 4 if BK <= 64 else 8
    else:
        # H100/H200: with K = 128 a 32-wide slice doubles the programs of the sequential
        # chunk walk and keeps q, k (BT x 128) and S (128 x 32) in registers.
        BV = max(16, min(64 if BK <= 64 else 32, triton.next_power_of_2(V)))
        warps = 4
    grid = (triton.cdiv(V, BV), B * H)
    _chunk_gated_attn_kernel[grid](q, k, v, f, z, o, T, K, V, float(scale),
                                   BT=int(chunk_size), BK=BK, BV=BV,
                                   UPCAST=interpret and q.dtype == torch.bfloat16,
                                   num_warps=warps, num_stages=2)
    return o

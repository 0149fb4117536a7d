"""Ground truth for chunk_linear_attn: causal linear attention (no decay, no softmax) in
chunked form. One program owns one (batch, head) pair and a BV-wide slice of the value
dim and walks T in chunks of chunk_size rows, keeping the running (K, BV) state
S = sum_{s < chunk start} k_s^T v_s in float32 registers. Per chunk:
    o = scale * (q S + tril(q k^T) v),    S <- S + k^T v,
and after the last chunk S is the final state."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _chunk_linear_attn_kernel(q_ptr, k_ptr, v_ptr, o_ptr, s_ptr, T, K, V, scale,
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
    o_base = o_ptr + i_bh * T * V
    causal = rt[:, None] >= rt[None, :]

    S = tl.zeros([BK, BV], dtype=tl.float32)
    for c0 in range(0, T, BT):
        rows = c0 + rt
        mt = rows < T
        mtk = mt[:, None] & mk[None, :]
        mtv = mt[:, None] & mv[None, :]
        # Rows past T and lanes past K / V load 0: they add nothing to scores or state.
        q = tl.load(q_base + rows[:, None] * K + rk[None, :], mask=mtk, other=0.0)
        k = tl.load(k_base + rows[:, None] * K + rk[None, :], mask=mtk, other=0.0)
        v = tl.load(v_base + rows[:, None] * V + rv[None, :], mask=mtv, other=0.0)
        if UPCAST:
            # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
            q = q.to(tl.float32)
            k = k.to(tl.float32)
            v = v.to(tl.float32)
        # Intra-chunk causal scores in float32, rounded to v's dtype for the matrix units;
        # the carried state is rounded to q's dtype likewise. The scale multiplies the
        # float32 sum once, so q is never rescaled (no extra rounding).
        s = tl.where(causal, tl.dot(q, tl.trans(k)), 0.0)
        o = tl.dot(s.to(v.dtype), v)
        o = tl.dot(q, S.to(q.dtype), o) * scale
        tl.store(o_base + rows[:, None] * V + rv[None, :], o.to(o_ptr.dtype.element_ty), mask=mtv)
        S = tl.dot(tl.trans(k), v, S)
    tl.store(s_ptr + i_bh * K * V + rk[:, None] * V + rv[None, :], S,
             mask=mk[:, None] & mv[None, :])


def chunk_linear_attn(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scale: float,
                      chunk_size: int):
    B, H, T, K = q.shape
    V = v.shape[-1]
    assert chunk_size in (16, 32, 64, 128), "chunk_size must be 16, 32, 64 or 128"
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    o = torch.empty((B, H, T, V), device=q.device, dtype=q.dtype)
    final_state = torch.empty((B, H, K, V), device=q.device, dtype=torch.float32)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    BK = max(16, triton.next_power_of_2(K))  # tl.dot needs every dim >= 16
    if interpret:
        # 16-wide value slices, so small V still spans several programs and a tail.
        BV, warps = 16, 4
    elif torch.version.hip:
        # MI300: 64-lane waves; one 64-wide value slice keeps q, k and S in registers.
        BV, warps = max(16, min(64, triton.next_power_of_2(V))), 4 if BK <= 64 else 8
    else:
        # H100/H200: with K = 128 a 32-wide slice doubles the programs (B*H*V/32) of the
        # sequential chunk walk and keeps q, k (BT x 128) and S (128 x 32) in registers.
        BV = max(16, min(64 if BK <= 64 else 32, triton.next_power_of_2(V)))
        warps = 4
    grid = (triton.cdiv(V, BV), B * H)
    _chunk_linear_attn_kernel[grid](q, k, v, o, final_state, T, K, V, float(scale),
                                    BT=int(chunk_size), BK=BK, BV=BV,
                                    UPCAST=interpret and q.dtype == torch.bfloat16,
                                    # MI300: float32 tiles at K = 128, double-buffered,
                                    # need 80 KB of its 64 KB LDS; one stage needs 48 KB.
                                    num_warps=warps,
                                    num_stages=1 if torch.version.hip and q.dtype == torch.float32 else 2)
    return o, final_state

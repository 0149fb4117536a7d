"""Ground truth for lightning_attention: Lightning-Attention-2-style linear attention
with a fixed exponential decay lambda_h per head. One program owns one (batch, head)
pair and a BV-wide slice of the value dim and walks T in blocks of chunk_size rows. The
block's own keys enter through a masked matmul with the decay mask
M[i, j] = exp(-lambda (i - j)) (j <= i), everything before the block through the
(D, BV) float32 state KV = sum_{s < block start} exp(-lambda (start - 1 - s)) k_s^T v_s:
    o_i = exp(-lambda (i + 1)) q_i KV + sum_{j <= i} M[i, j] (q_i . k_j) v_j
    KV <- exp(-lambda n) KV + sum_j exp(-lambda (n - 1 - j)) k_j^T v_j   (n rows)."""

import os

import torch
import triton
import triton.language as tl

LOG2E = tl.constexpr(1.4426950408889634)  # kernels may read constexpr globals only


@triton.jit
def _lightning_attn_kernel(q_ptr, k_ptr, v_ptr, slope_ptr, o_ptr, T, H, D,
                           BT: tl.constexpr, BD: tl.constexpr, BV: tl.constexpr,
                           UPCAST: tl.constexpr):
    i_v = tl.program_id(0)
    i_bh = tl.program_id(1).to(tl.int64)  # 64-bit: B*H*T*D may pass 2^31
    # Decays as exp2(-c * n) with c = lambda * log2(e) and n >= 0: every factor is <= 1.
    c = tl.load(slope_ptr + i_bh % H).to(tl.float32) * LOG2E
    rt = tl.arange(0, BT)
    rd = tl.arange(0, BD)
    rv = i_v * BV + tl.arange(0, BV)
    md = rd < D
    mv = rv < D
    base = i_bh * T * D
    # Per-row decay of the carried state and the intra-block decay mask (0 above the
    # diagonal: the exponent is clamped first, so j > i never overflows).
    d_q = tl.exp2(-c * (rt + 1).to(tl.float32))
    diff = (rt[:, None] - rt[None, :]).to(tl.float32)
    d_mask = tl.where(diff >= 0, tl.exp2(-c * tl.maximum(diff, 0.0)), 0.0)

    kv = tl.zeros([BD, BV], dtype=tl.float32)
    for t0 in range(0, T, BT):
        rows = t0 + rt
        mt = rows < T
        mtd = mt[:, None] & md[None, :]
        mtv = mt[:, None] & mv[None, :]
        # Rows past T load 0 and add nothing; the block length n decays the state.
        q = tl.load(q_ptr + base + rows[:, None] * D + rd[None, :], mask=mtd, other=0.0)
        k = tl.load(k_ptr + base + rows[:, None] * D + rd[None, :], mask=mtd, other=0.0)
        v = tl.load(v_ptr + base + rows[:, None] * D + rv[None, :], mask=mtv, other=0.0)
        if UPCAST:
            # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
            q = q.to(tl.float32)
            k = k.to(tl.float32)
            v = v.to(tl.float32)
        s = tl.dot(q, tl.trans(k)) * d_mask
        o = tl.dot(s.to(v.dtype), v)
        o += tl.dot(q, kv.to(q.dtype)) * d_q[:, None]
        tl.store(o_ptr + base + rows[:, None] * D + rv[None, :], o.to(o_ptr.dtype.element_ty),
                 mask=mtv)
        n = tl.minimum(T - t0, BT)
        d_k = tl.where(mt, tl.exp2(-c * (n - 1 - rt).to(tl.float32)), 0.0)
        kd = (k * d_k[:, None]).to(k.dtype)
        kv = kv * tl.exp2(-c * n.to(tl.float32)) + tl.dot(tl.trans(kd), v)


def lightning_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, slopes: torch.Tensor,
                        chunk_size: int) -> torch.Tensor:
    B, H, T, D = q.shape
    assert chunk_size in (16, 32, 64, 128), "chunk_size must be 16, 32, 64 or 128"
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    slopes = slopes.contiguous()
    o = torch.empty_like(q)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    BD = max(16, triton.next_power_of_2(D))  # tl.dot needs every dim >= 16
    if interpret:
        # 16-wide value slices, so small D still spans several programs and a tail.
        BV, warps = 16, 4
    elif torch.version.hip:
        # MI300: 64-lane waves; one 64-wide value slice keeps q, k and KV in registers.
        BV, warps = max(16, min(64, BD)), 4 if BD <= 64 else 8
    else:
        # H100/H200: with D = 128 a 32-wide slice doubles the programs of the sequential
        # block walk and keeps q, k (BT x 128) and KV (128 x 32) in registers.
        BV, warps = max(16, min(64 if BD <= 64 else 32, BD)), 4
    grid = (triton.cdiv(D, BV), B * H)
    _lightning_attn_kernel[grid](q, k, v, slopes, o, T, H, D,
                                 BT=int(chunk_size), BD=BD, BV=BV,
                                 UPCAST=interpret and q.dtype == torch.bfloat16,
                                 num_warps=warps, num_stages=2)
    return o

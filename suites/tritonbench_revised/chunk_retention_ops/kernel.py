"""Ground truth for chunk_retention_ops: RetNet retention in chunked form, continuing from
an initial state and returning the final one. One program owns one (batch, head) pair and
a BV-wide slice of the value dim; it loads that slice of the initial state into float32
registers, walks T in chunks of BT (intra-chunk masked attention (Q K^T * D) V plus the
inter-chunk term Q S, then folds the chunk's keys and values into S) and stores S."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _chunk_retention_state_kernel(q_ptr, k_ptr, v_ptr, h0_ptr, o_ptr, ht_ptr, T, H, K, V, scale,
                                  BT: tl.constexpr, BK: tl.constexpr, BV: tl.constexpr,
                                  UPCAST: tl.constexpr):
    i_v = tl.program_id(0)
    i_bh = tl.program_id(1).to(tl.int64)  # 64-bit: B*H*T*K may pass 2^31
    head = (i_bh % H).to(tl.float32)
    # log2(gamma_h), gamma_h = 1 - 2^(-5-h); every decay below is exp2(n * b) with n >= 0.
    b = tl.log2(1.0 - tl.exp2(-5.0 - head))

    rt = tl.arange(0, BT)
    rk = tl.arange(0, BK)
    rv = i_v * BV + tl.arange(0, BV)
    mk = rk < K
    mv = rv < V
    q_base = q_ptr + i_bh * T * K
    k_base = k_ptr + i_bh * T * K
    v_base = v_ptr + i_bh * T * V
    o_base = o_ptr + i_bh * T * V
    s_offs = i_bh * K * V + rk[:, None] * V + rv[None, :]
    s_mask = mk[:, None] & mv[None, :]

    # Decay of the state for row i of a chunk (gamma^(i+1)) and the causal decay mask
    # D[i, j] = gamma^(i-j) for j <= i, else 0; both carry the 1/sqrt(K) scale.
    d_q = tl.exp2((rt + 1).to(tl.float32) * b) * scale
    diff = (rt[:, None] - rt[None, :]).to(tl.float32)
    d_intra = tl.where(rt[:, None] >= rt[None, :], tl.exp2(tl.maximum(diff, 0.0) * b), 0.0) * scale

    S = tl.load(h0_ptr + s_offs, mask=s_mask, other=0.0).to(tl.float32)
    for c0 in range(0, T, BT):
        rows = c0 + rt
        mt = rows < T
        # Rows past T load as 0: they add nothing to the scores or the state.
        q = tl.load(q_base + rows[:, None] * K + rk[None, :], mask=mt[:, None] & mk[None, :], other=0.0)
        k = tl.load(k_base + rows[:, None] * K + rk[None, :], mask=mt[:, None] & mk[None, :], other=0.0)
        v = tl.load(v_base + rows[:, None] * V + rv[None, :], mask=mt[:, None] & mv[None, :], other=0.0)
        if UPCAST:
            # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
            q = q.to(tl.float32)
            k = k.to(tl.float32)
            v = v.to(tl.float32)
        s = tl.dot(q, tl.trans(k)) * d_intra
        o = tl.dot(s.to(v.dtype), v)
        o += tl.dot(q, S.to(q.dtype)) * d_q[:, None]
        tl.store(o_base + rows[:, None] * V + rv[None, :], o.to(o_ptr.dtype.element_ty),
                 mask=mt[:, None] & mv[None, :])
        # S <- gamma^n S + sum_j gamma^(n-1-j) k_j^T v_j over the chunk's n valid rows
        # (n < BT only in the last chunk).
        n = tl.minimum(T - c0, BT)
        d_k = tl.where(mt, tl.exp2((n - 1 - rt).to(tl.float32) * b), 0.0)
        kd = (k * d_k[:, None]).to(k.dtype)
        S = S * tl.exp2(n.to(tl.float32) * b) + tl.dot(tl.trans(kd), v)
    tl.store(ht_ptr + s_offs, S.to(ht_ptr.dtype.element_ty), mask=s_mask)


def chunk_retention_ops(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                        initial_state: torch.Tensor):
    B, H, T, K = q.shape
    V = v.shape[-1]
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    h0 = initial_state.contiguous()
    o = torch.empty((B, H, T, V), device=q.device, dtype=q.dtype)
    ht = torch.empty((B, H, K, V), device=q.device, dtype=initial_state.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    # tl.dot needs every dim >= 16. A 64-row chunk balances the quadratic intra-chunk
    # work against the sequential chunk loop; in the interpreter 16-row chunks and
    # 16-wide value slices let the small tests span several chunks, tails and programs.
    BT = 16 if interpret else 64
    BK = max(16, triton.next_power_of_2(K))
    BV = 16 if interpret else max(16, min(64, triton.next_power_of_2(V)))
    grid = (triton.cdiv(V, BV), B * H)
    _chunk_retention_state_kernel[grid](q, k, v, h0, o, ht, T, H, K, V, K ** -0.5,
                                        BT=BT, BK=BK, BV=BV,
                                        UPCAST=interpret and q.dtype == torch.bfloat16,
                                        num_warps=4 if BK <= 64 else 8, num_stages=2)
    return o, ht

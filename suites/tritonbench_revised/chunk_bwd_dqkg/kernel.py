"""Ground truth for chunk_bwd_dqkg: gradients of ungated causal linear attention
    o_t = scale * q_t S_t,  S_t = sum_{s<=t} k_s^T v_s,  scale = K**-0.5,
with respect to q and k, given do = dL/do:
    dq_t = scale * do_t S_t^T = scale * sum_{s<=t} (do_t . v_s) k_s
    dk_s = scale * v_s G_s^T,   G_s = sum_{t>=s} q_t^T do_t  (a reverse-time state)
            = scale * sum_{t>=s} (v_s . do_t) q_t.
Both are evaluated chunk by chunk: a (BT, BT) causal score block inside the chunk plus a
(K, V) state carried across chunks, forward in time for dq and backward for dk. One
program per (batch*head, K tile) and gradient; the value dimension is kept whole."""

import torch
import triton
import triton.language as tl

CHUNK = 64  # chunk length (tokens per intra-chunk block)


@triton.jit
def _chunk_dq_kernel(k_ptr, v_ptr, do_ptr, dq_ptr, T, K, V, scale,
                     BT: tl.constexpr, BK: tl.constexpr, BV: tl.constexpr):
    bh = tl.program_id(0).to(tl.int64)  # 64-bit: B*H*T*K may pass 2^31
    ik = tl.program_id(1)
    k_base = k_ptr + bh * T * K
    dq_base = dq_ptr + bh * T * K
    v_base = v_ptr + bh * T * V
    do_base = do_ptr + bh * T * V
    rt = tl.arange(0, BT)
    rk = ik * BK + tl.arange(0, BK)
    rv = tl.arange(0, BV)
    mk = rk < K
    mv = rv < V
    causal = rt[:, None] >= rt[None, :]  # row t reads columns s <= t
    state = tl.zeros([BK, BV], dtype=tl.float32)  # sum over earlier chunks of k^T v
    for c in range(0, tl.cdiv(T, BT)):
        t = c * BT + rt
        mt = t < T
        # Padding rows load zeros, so they add nothing to scores or state.
        k_off = t[:, None] * K + rk[None, :]
        mtk = mt[:, None] & mk[None, :]
        v_off = t[:, None] * V + rv[None, :]
        mtv = mt[:, None] & mv[None, :]
        b_k = tl.load(k_base + k_off, mask=mtk, other=0.0).to(tl.float32)
        b_v = tl.load(v_base + v_off, mask=mtv, other=0.0).to(tl.float32)
        b_do = tl.load(do_base + v_off, mask=mtv, other=0.0).to(tl.float32)
        acc = tl.dot(b_do, tl.trans(state))                       # earlier chunks
        scores = tl.where(causal, tl.dot(b_do, tl.trans(b_v)), 0.0)
        acc += tl.dot(scores, b_k)                                # this chunk, s <= t
        tl.store(dq_base + k_off, (acc * scale).to(dq_ptr.dtype.element_ty), mask=mtk)
        state += tl.dot(tl.trans(b_k), b_v)


@triton.jit
def _chunk_dk_kernel(q_ptr, v_ptr, do_ptr, dk_ptr, T, K, V, scale,
                     BT: tl.constexpr, BK: tl.constexpr, BV: tl.constexpr):
    bh = tl.program_id(0).to(tl.int64)
    ik = tl.program_id(1)
    q_base = q_ptr + bh * T * K
    dk_base = dk_ptr + bh * T * K
    v_base = v_ptr + bh * T * V
    do_base = do_ptr + bh * T * V
    rt = tl.arange(0, BT)
    rk = ik * BK + tl.arange(0, BK)
    rv = tl.arange(0, BV)
    mk = rk < K
    mv = rv < V
    anticausal = rt[:, None] <= rt[None, :]  # row s reads columns t >= s
    state = tl.zeros([BK, BV], dtype=tl.float32)  # sum over later chunks of q^T do
    num_chunks = tl.cdiv(T, BT)
    for i in range(0, num_chunks):
        c = num_chunks - 1 - i  # walk the chunks from the end of the sequence
        t = c * BT + rt
        mt = t < T
        q_off = t[:, None] * K + rk[None, :]
        mtk = mt[:, None] & mk[None, :]
        v_off = t[:, None] * V + rv[None, :]
        mtv = mt[:, None] & mv[None, :]
        b_q = tl.load(q_base + q_off, mask=mtk, other=0.0).to(tl.float32)
        b_v = tl.load(v_base + v_off, mask=mtv, other=0.0).to(tl.float32)
        b_do = tl.load(do_base + v_off, mask=mtv, other=0.0).to(tl.float32)
        acc = tl.dot(b_v, tl.trans(state))                        # later chunks
        scores = tl.where(anticausal, tl.dot(b_v, tl.trans(b_do)), 0.0)
        acc += tl.dot(scores, b_q)                                # this chunk, t >= s
        tl.store(dk_base + q_off, (acc * scale).to(dk_ptr.dtype.element_ty), mask=mtk)
        state += tl.dot(tl.trans(b_q), b_do)


def chunk_bwd_dqkg(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, do: torch.Tensor):
    B, H, T, K = q.shape
    V = v.shape[-1]
    assert V <= 256, "the whole value dimension is kept in one tile"
    q, k, v, do = q.contiguous(), k.contiguous(), v.contiguous(), do.contiguous()
    dq = torch.empty_like(q)
    dk = torch.empty_like(k)
    scale = K ** -0.5
    BV = max(16, triton.next_power_of_2(V))  # tl.dot needs every dimension >= 16
    BK = max(16, min(64, triton.next_power_of_2(K)))
    grid = (B * H, triton.cdiv(K, BK))
    warps = 8 if BV >= 128 else 4
    _chunk_dq_kernel[grid](k, v, do, dq, T, K, V, scale, BT=CHUNK, BK=BK, BV=BV, num_warps=warps)
    _chunk_dk_kernel[grid](q, v, do, dk, T, K, V, scale, BT=CHUNK, BK=BK, BV=BV, num_warps=warps)
    return dq, dk

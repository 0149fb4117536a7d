"""Ground truth for chunk_delta_fwd: the delta rule in chunks of CHUNK = 64 steps.

Within a chunk starting from state S0, the updates u_t = beta_t (v_t - S_{t-1}^T k_t) obey
(I + A) U = diag(beta) (V - K S0) with A[i, j] = beta_i k_i . k_j for j < i (WY form), so
with Tm = (I + A)^-1 (the UT transform): U = Ub - W S0, Ub = Tm diag(beta) V,
W = Tm diag(beta) K. Then O = scale (Q S0 + tril(Q K^T) U) and S1 = S0 + K^T U.

Kernel 1 (all chunks in parallel) inverts I + A by forward substitution and writes W, Ub
in float32. Kernel 2 (one program per (batch*head, V block)) walks the chunks in order,
carrying the (K, BLOCK_V) state in registers; each chunk is five small matmuls."""

import torch
import triton
import triton.language as tl

CHUNK = 64


@triton.jit
def _mm(a, b, IEEE: tl.constexpr):
    # float32 inputs: exact float32 products. 16-bit inputs: the backend's default
    # (TF32 where the hardware has it), finer than the bf16 outputs.
    if IEEE:
        return tl.dot(a, b, input_precision="ieee")
    else:
        return tl.dot(a, b)


@triton.jit
def _delta_wy_kernel(k_ptr, v_ptr, beta_ptr, w_ptr, u_ptr, T, K, V,
                     BT: tl.constexpr, BK: tl.constexpr, BV: tl.constexpr,
                     IEEE: tl.constexpr):
    bh = tl.program_id(0).to(tl.int64)  # 64-bit: B*H*T*K may pass 2^31
    c = tl.program_id(1)
    rows = c * BT + tl.arange(0, BT)
    mask_t = rows < T
    offs_k = tl.arange(0, BK)
    mask_k = offs_k < K
    # Padded steps load k = 0, beta = 0: their rows of A, W, U are 0 and never stored.
    kc = tl.load(k_ptr + bh * T * K + rows[:, None] * K + offs_k[None, :],
                 mask=mask_t[:, None] & mask_k[None, :], other=0.0).to(tl.float32)
    bc = tl.load(beta_ptr + bh * T + rows, mask=mask_t, other=0.0).to(tl.float32)
    kb = kc * bc[:, None]
    ri = tl.arange(0, BT)
    # M starts as -A (strictly lower); row i is replaced by row i of Tm - I, which is
    # -A[i] - sum_{j<i} A[i, j] (Tm - I)[j], using rows j < i already replaced.
    m = -_mm(kb, tl.trans(kc), IEEE)
    m = tl.where(ri[:, None] > ri[None, :], m, 0.0)
    for i in range(1, BT):
        a = tl.sum(tl.where(ri[:, None] == i, m, 0.0), axis=0)      # row i of M
        a = a + tl.sum(a[:, None] * m, axis=0)
        m = tl.where(ri[:, None] == i, a[None, :], m)
    tm = m + tl.where(ri[:, None] == ri[None, :], 1.0, 0.0)
    w = _mm(tm, kb, IEEE)
    tl.store(w_ptr + bh * T * K + rows[:, None] * K + offs_k[None, :], w,
             mask=mask_t[:, None] & mask_k[None, :])
    for v0 in range(0, V, BV):
        offs_v = v0 + tl.arange(0, BV)
        mask = mask_t[:, None] & (offs_v < V)[None, :]
        vc = tl.load(v_ptr + bh * T * V + rows[:, None] * V + offs_v[None, :],
                     mask=mask, other=0.0).to(tl.float32)
        ub = _mm(tm, vc * bc[:, None], IEEE)
        tl.store(u_ptr + bh * T * V + rows[:, None] * V + offs_v[None, :], ub, mask=mask)


@triton.jit
def _delta_chunk_state_kernel(q_ptr, k_ptr, w_ptr, u_ptr, o_ptr, s_ptr, T, K, V, scale,
                              BT: tl.constexpr, BK: tl.constexpr, BV: tl.constexpr,
                              IEEE: tl.constexpr):
    bh = tl.program_id(0).to(tl.int64)
    offs_v = tl.program_id(1) * BV + tl.arange(0, BV)
    mask_v = offs_v < V
    offs_k = tl.arange(0, BK)
    mask_k = offs_k < K
    ri = tl.arange(0, BT)
    causal = ri[:, None] >= ri[None, :]
    s = tl.zeros([BK, BV], dtype=tl.float32)
    for t0 in range(0, T, BT):
        rows = t0 + ri
        mask_t = rows < T
        mk = mask_t[:, None] & mask_k[None, :]
        mv = mask_t[:, None] & mask_v[None, :]
        kv_offs = bh * T * K + rows[:, None] * K + offs_k[None, :]
        qc = tl.load(q_ptr + kv_offs, mask=mk, other=0.0).to(tl.float32) * scale
        kc = tl.load(k_ptr + kv_offs, mask=mk, other=0.0).to(tl.float32)
        wc = tl.load(w_ptr + kv_offs, mask=mk, other=0.0)
        v_offs = bh * T * V + rows[:, None] * V + offs_v[None, :]
        uc = tl.load(u_ptr + v_offs, mask=mv, other=0.0)
        u = uc - _mm(wc, s, IEEE)                                   # true updates U
        qk = tl.where(causal, _mm(qc, tl.trans(kc), IEEE), 0.0)
        o = _mm(qc, s, IEEE) + _mm(qk, u, IEEE)
        tl.store(o_ptr + v_offs, o.to(o_ptr.dtype.element_ty), mask=mv)
        s += _mm(tl.trans(kc), u, IEEE)
    tl.store(s_ptr + bh * K * V + offs_k[:, None] * V + offs_v[None, :],
             s.to(s_ptr.dtype.element_ty), mask=mask_k[:, None] & mask_v[None, :])


def chunk_delta_fwd(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, beta: torch.Tensor):
    b, h, t, dk = q.shape
    dv = v.shape[-1]
    q, k, v, beta = (x.contiguous() for x in (q, k, v, beta))
    dev = q.device
    ieee = q.dtype == torch.float32
    bk = max(16, triton.next_power_of_2(dk))   # tl.dot needs sides >= 16
    # Head size 128 and up: 32-wide V blocks and 8 warps keep the (64, K) float32 q, k, w
    # tiles and the (K, BV) state near 100 registers per thread, and give B*H*V/32
    # programs to the sequential state pass.
    bv = max(16, min(64 if bk < 128 else 32, triton.next_power_of_2(dv)))
    warps = 4 if bk < 128 else 8
    w = torch.empty(b, h, t, dk, device=dev, dtype=torch.float32)
    ub = torch.empty(b, h, t, dv, device=dev, dtype=torch.float32)
    _delta_wy_kernel[(b * h, triton.cdiv(t, CHUNK))](
        k, v, beta, w, ub, t, dk, dv, BT=CHUNK, BK=bk, BV=bv, IEEE=ieee, num_warps=warps)
    o = torch.empty(b, h, t, dv, device=dev, dtype=q.dtype)
    s = torch.empty(b, h, dk, dv, device=dev, dtype=q.dtype)
    # The chunk loop's q, k and w tiles are (64, K) float32: at K = 128, 3 pipeline
    # stages of them need 270 KB of shared memory, over Hopper's 227 KB (seen on an
    # H200); one stage keeps them in bounds.
    _delta_chunk_state_kernel[(b * h, triton.cdiv(dv, bv))](
        q, k, w, ub, o, s, t, dk, dv, dk ** -0.5, BT=CHUNK, BK=bk, BV=bv, IEEE=ieee,
        num_warps=warps, num_stages=1 if bk >= 128 else 3)
    return o, s

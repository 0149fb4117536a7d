"""Ground truth for fused_recurrent_delta: one program per (batch*head, V block) keeps
its (K, BLOCK_V) slice of the state in float32 registers and walks the sequence once.
Each step reads k_t, q_t, beta_t and a V-slice of v_t, and writes a V-slice of o_t;
the state columns of different V blocks never interact, so V splits freely."""

import torch
import triton
import triton.language as tl


@triton.jit
def _fused_recurrent_delta_kernel(q_ptr, k_ptr, v_ptr, beta_ptr, o_ptr, s_ptr,
                                  T, K, V, scale,
                                  BLOCK_K: tl.constexpr, BLOCK_V: tl.constexpr):
    bh = tl.program_id(0).to(tl.int64)  # 64-bit: B*H*T*V may pass 2^31
    pid_v = tl.program_id(1)
    offs_k = tl.arange(0, BLOCK_K)
    offs_v = pid_v * BLOCK_V + tl.arange(0, BLOCK_V)
    mask_k = offs_k < K
    mask_v = offs_v < V
    q_row = q_ptr + bh * T * K
    k_row = k_ptr + bh * T * K
    v_row = v_ptr + bh * T * V
    o_row = o_ptr + bh * T * V
    b_row = beta_ptr + bh * T
    # Padded K rows / V columns of the state stay exactly 0: their k, v lanes load 0.
    s = tl.zeros([BLOCK_K, BLOCK_V], dtype=tl.float32)
    for t in range(T):
        k_t = tl.load(k_row + t * K + offs_k, mask=mask_k, other=0.0).to(tl.float32)
        q_t = tl.load(q_row + t * K + offs_k, mask=mask_k, other=0.0).to(tl.float32) * scale
        v_t = tl.load(v_row + t * V + offs_v, mask=mask_v, other=0.0).to(tl.float32)
        beta_t = tl.load(b_row + t).to(tl.float32)
        # Delta rule: replace what the state recalls for k_t by v_t, at rate beta_t.
        pred = tl.sum(s * k_t[:, None], axis=0)                  # S^T k_t, (BLOCK_V,)
        u = beta_t * (v_t - pred)
        s += k_t[:, None] * u[None, :]
        o_t = tl.sum(s * q_t[:, None], axis=0)                   # S^T q_t
        tl.store(o_row + t * V + offs_v, o_t.to(o_ptr.dtype.element_ty), mask=mask_v)
    s_ptrs = s_ptr + bh * K * V + offs_k[:, None] * V + offs_v[None, :]
    tl.store(s_ptrs, s.to(s_ptr.dtype.element_ty), mask=mask_k[:, None] & mask_v[None, :])


def fused_recurrent_delta(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                          beta: torch.Tensor):
    b, h, t, dk = q.shape
    dv = v.shape[-1]
    q, k, v, beta = (x.contiguous() for x in (q, k, v, beta))
    o = torch.empty(b, h, t, dv, device=q.device, dtype=q.dtype)
    s = torch.empty(b, h, dk, dv, device=q.device, dtype=q.dtype)
    block_k = triton.next_power_of_2(dk)
    # A (K, 32) float32 state slice is 32 registers per thread at K = 128 with 4 warps;
    # B*H*V/32 programs fill the GPU for typical B*H >= 32.
    block_v = min(triton.next_power_of_2(dv), 32)
    grid = (b * h, triton.cdiv(dv, block_v))
    _fused_recurrent_delta_kernel[grid](q, k, v, beta, o, s, t, dk, dv, dk ** -0.5,
                                        BLOCK_K=block_k, BLOCK_V=block_v,
                                        num_warps=4 if block_k <= 128 else 8)
    return o, s

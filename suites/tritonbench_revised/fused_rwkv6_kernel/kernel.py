"""Ground truth for fused_rwkv6_kernel: the RWKV-6 time-mix recurrence, run sequentially
over T. One program owns one (batch, head) pair and a BV-wide slice of the value dim and
keeps its (K, BV) slice of the state in float32 registers for the whole sequence."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _rwkv6_recurrent_kernel(r_ptr, k_ptr, v_ptr, w_ptr, u_ptr, o_ptr, ht_ptr, T, H, K, V,
                            BK: tl.constexpr, BV: tl.constexpr):
    i_v = tl.program_id(0)
    i_bh = tl.program_id(1).to(tl.int64)  # 64-bit: B*H*T*K may pass 2^31
    head = i_bh % H
    rk = tl.arange(0, BK)
    rv = i_v * BV + tl.arange(0, BV)
    mk = rk < K
    mv = rv < V
    # Padding lanes load 0 (w = 0 keeps their state at 0, r = k = 0 adds nothing).
    u = tl.load(u_ptr + head * K + rk, mask=mk, other=0.0).to(tl.float32)
    rkw_ptr = i_bh * T * K + rk
    v_off = i_bh * T * V + rv
    S = tl.zeros([BK, BV], dtype=tl.float32)
    for t in range(0, T):
        r_t = tl.load(r_ptr + rkw_ptr, mask=mk, other=0.0).to(tl.float32)
        k_t = tl.load(k_ptr + rkw_ptr, mask=mk, other=0.0).to(tl.float32)
        w_t = tl.load(w_ptr + rkw_ptr, mask=mk, other=0.0).to(tl.float32)
        v_t = tl.load(v_ptr + v_off, mask=mv, other=0.0).to(tl.float32)
        kv = k_t[:, None] * v_t[None, :]
        # o_t = r_t (S_{t-1} + diag(u) k_t^T v_t): the bonus applies to the current token only.
        o_t = tl.sum(r_t[:, None] * (S + u[:, None] * kv), axis=0)
        tl.store(o_ptr + v_off, o_t.to(o_ptr.dtype.element_ty), mask=mv)
        S = S * tl.exp(w_t)[:, None] + kv
        rkw_ptr += K
        v_off += V
    s_off = i_bh * K * V + rk[:, None] * V + rv[None, :]
    tl.store(ht_ptr + s_off, S.to(ht_ptr.dtype.element_ty), mask=mk[:, None] & mv[None, :])


def fused_rwkv6_kernel(r: torch.Tensor, k: torch.Tensor, v: torch.Tensor, w: torch.Tensor,
                       u: torch.Tensor):
    B, H, T, K = r.shape
    V = v.shape[-1]
    r, k, v, w, u = r.contiguous(), k.contiguous(), v.contiguous(), w.contiguous(), u.contiguous()
    o = torch.empty((B, H, T, V), device=r.device, dtype=r.dtype)
    ht = torch.empty((B, H, K, V), device=r.device, dtype=r.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    BK = triton.next_power_of_2(K)
    # Narrow value slices give more programs to run the T steps side by side (the work is
    # latency-bound); 16 in the interpreter so small V still spans several programs.
    BV = 16 if interpret else min(32, triton.next_power_of_2(V))
    grid = (triton.cdiv(V, BV), B * H)
    _rwkv6_recurrent_kernel[grid](r, k, v, w, u, o, ht, T, H, K, V, BK=BK, BV=BV,
                                  num_warps=2 if BK * BV <= 2048 else 4)
    return o, ht

"""Ground truth for matmul_triton2: a linear layer, out = A @ W^T (+ bias), for bfloat16
A (M, K) and W (N, K) with a float32 accumulator and an optional float32 bias added in
the epilogue before the one rounding to bfloat16.

Each program owns one BLOCK_M x BLOCK_N tile of the output. W is read in place as the
(K, N) operand W^T: its (BLOCK_K, BLOCK_N) tile runs along W's contiguous K dimension,
the layout the tensor cores take natively, so no transposed copy is ever made."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _linear_kernel(a_ptr, w_ptr, bias_ptr, out_ptr, M, N, K,
                   stride_am, stride_ak, stride_wn, stride_wk, stride_om, stride_on,
                   HAS_BIAS: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                   BLOCK_K: tl.constexpr, GROUP_M: tl.constexpr, UPCAST: tl.constexpr):
    pid = tl.program_id(0)
    num_pid_m = tl.cdiv(M, BLOCK_M)
    num_pid_n = tl.cdiv(N, BLOCK_N)
    # Grouped launch order: GROUP_M tile rows are swept column by column, so programs
    # resident together share rows of A and of W in L2.
    per_group = GROUP_M * num_pid_n
    first_m = (pid // per_group) * GROUP_M
    group_rows = tl.minimum(num_pid_m - first_m, GROUP_M)
    pid_m = first_m + (pid % per_group) % group_rows
    pid_n = (pid % per_group) // group_rows

    rm = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    rn = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    rk = tl.arange(0, BLOCK_K)
    # Edge rows of A and W are clamped onto the last valid one (their results are never
    # stored), so only the K tail is masked. 64-bit row offsets: M*K or N*K may pass 2^31.
    rm_safe = tl.minimum(rm, M - 1).to(tl.int64)
    rn_safe = tl.minimum(rn, N - 1).to(tl.int64)
    a_ptrs = a_ptr + rm_safe[:, None] * stride_am + rk[None, :] * stride_ak
    w_ptrs = w_ptr + rk[:, None] * stride_wk + rn_safe[None, :] * stride_wn  # W^T tile

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for kt in range(0, tl.cdiv(K, BLOCK_K)):
        k_left = K - kt * BLOCK_K
        a = tl.load(a_ptrs, mask=rk[None, :] < k_left, other=0.0)
        w = tl.load(w_ptrs, mask=rk[:, None] < k_left, other=0.0)
        if UPCAST:
            # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
            a = a.to(tl.float32)
            w = w.to(tl.float32)
        acc = tl.dot(a, w, acc)
        a_ptrs += BLOCK_K * stride_ak
        w_ptrs += BLOCK_K * stride_wk

    if HAS_BIAS:
        bias = tl.load(bias_ptr + rn, mask=rn < N, other=0.0).to(tl.float32)
        acc += bias[None, :]
    o_ptrs = out_ptr + rm[:, None].to(tl.int64) * stride_om + rn[None, :] * stride_on
    tl.store(o_ptrs, acc.to(out_ptr.dtype.element_ty), mask=(rm[:, None] < M) & (rn[None, :] < N))


def matmul_triton2(a: torch.Tensor, weight: torch.Tensor, bias=None) -> torch.Tensor:
    M, K = a.shape
    N, _ = weight.shape
    out = torch.empty((M, N), device=a.device, dtype=a.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        bm, bn, bk, warps, stages = 32, 32, 32, 4, 1  # small tests still span several tiles
    elif torch.version.hip:
        # 64 KB of LDS on MI300: one 256x256x32 stage plus a register prefetch.
        bm, bn, bk, warps, stages = 256, 256, 32, 8, 2
    else:
        # 48 KB of A+W tiles per stage: 4 stages fit Hopper's 227 KB, 3 an A100's.
        bm, bn, bk, warps = 128, 256, 64, 8
        stages = 4 if torch.cuda.get_device_capability(a.device)[0] >= 9 else 3
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _linear_kernel[grid](
        a, weight, bias, out, M, N, K,
        a.stride(0), a.stride(1), weight.stride(0), weight.stride(1), out.stride(0), out.stride(1),
        HAS_BIAS=bias is not None, BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
        UPCAST=interpret and a.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return out

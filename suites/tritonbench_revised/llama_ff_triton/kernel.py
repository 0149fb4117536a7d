"""Ground truth for llama_ff_triton: the gated half of a LLaMA feed-forward block,
out = silu(x @ W1) * (x @ W3), in one kernel. Each program owns one BLOCK_M x BLOCK_N
tile of the output and walks D in BLOCK_K steps; every step loads the x tile once and
feeds it to two tl.dot calls (against the matching W1 and W3 tiles) into two float32
accumulators. The epilogue applies silu to the first, multiplies by the second and
rounds once, so neither intermediate product ever goes to memory."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _ff_gate_kernel(x_ptr, w1_ptr, w3_ptr, out_ptr, M, F, D,
                    stride_xm, stride_xd, stride_w1d, stride_w1f, stride_w3d, stride_w3f,
                    stride_om, stride_of,
                    BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                    GROUP_M: tl.constexpr, UPCAST: tl.constexpr):
    pid = tl.program_id(0)
    tiles_m = tl.cdiv(M, BLOCK_M)
    tiles_n = tl.cdiv(F, BLOCK_N)
    # Grouped tile order: GROUP_M tile rows swept column by column, so programs running
    # together share x rows and weight columns in L2.
    per_group = GROUP_M * tiles_n
    first_m = (pid // per_group) * GROUP_M
    rows_in_group = tl.minimum(tiles_m - first_m, GROUP_M)
    pid_m = first_m + (pid % per_group) % rows_in_group
    pid_n = (pid % per_group) // rows_in_group

    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    m_ok = offs_m < M
    n_ok = offs_n < F
    # 64-bit row offsets: M * D and D * F may pass 2^31 elements.
    x_ptrs = x_ptr + offs_m[:, None].to(tl.int64) * stride_xm + offs_k[None, :] * stride_xd
    w1_ptrs = w1_ptr + offs_k[:, None].to(tl.int64) * stride_w1d + offs_n[None, :] * stride_w1f
    w3_ptrs = w3_ptr + offs_k[:, None].to(tl.int64) * stride_w3d + offs_n[None, :] * stride_w3f

    acc1 = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    acc3 = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for kt in range(0, tl.cdiv(D, BLOCK_K)):
        # Rows/columns past the edge and the D tail load 0 and add nothing.
        k_left = D - kt * BLOCK_K
        k_row = offs_k[:, None] < k_left
        x = tl.load(x_ptrs, mask=m_ok[:, None] & (offs_k[None, :] < k_left), other=0.0)
        w1 = tl.load(w1_ptrs, mask=k_row & n_ok[None, :], other=0.0)
        w3 = tl.load(w3_ptrs, mask=k_row & n_ok[None, :], other=0.0)
        if UPCAST:
            # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
            x = x.to(tl.float32)
            w1 = w1.to(tl.float32)
            w3 = w3.to(tl.float32)
        acc1 = tl.dot(x, w1, acc1)
        acc3 = tl.dot(x, w3, acc3)
        x_ptrs += BLOCK_K * stride_xd
        w1_ptrs += BLOCK_K * stride_w1d
        w3_ptrs += BLOCK_K * stride_w3d

    # silu(h) = h * sigmoid(h) = h / (1 + exp(-h)); for very negative h, exp(-h) = inf
    # and the quotient is a signed zero, as it should be.
    gate = acc1 / (1.0 + tl.exp(-acc1))
    out = gate * acc3
    o_ptrs = out_ptr + offs_m[:, None].to(tl.int64) * stride_om + offs_n[None, :] * stride_of
    tl.store(o_ptrs, out.to(out_ptr.dtype.element_ty), mask=m_ok[:, None] & n_ok[None, :])


def _config():
    """(BLOCK_M, BLOCK_N, BLOCK_K, num_warps, num_stages) for this device (16-bit inputs)."""
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        return 32, 32, 32, 4, 1  # small tiles: the small tests still span several tiles
    if torch.version.hip:
        # MI300: a 128x128x32 stage of x, W1 and W3 tiles is 24 KB; two fit 64 KB of LDS.
        return 128, 128, 32, 8, 2
    # Two 128x128 float32 accumulators take 128 registers per thread at 8 warps; a
    # stage of x, W1 and W3 tiles (BLOCK_K=64) is 48 KB, so 3 stages use 144 KB of
    # shared memory (Hopper and A100 both fit it).
    return 128, 128, 64, 8, 3


def llama_ff_triton(x: torch.Tensor, w1: torch.Tensor, w3: torch.Tensor) -> torch.Tensor:
    M, D = x.shape
    F = w1.shape[1]
    out = torch.empty((M, F), device=x.device, dtype=x.dtype)
    if out.numel() == 0:
        return out
    bm, bn, bk, warps, stages = _config()
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    grid = (triton.cdiv(M, bm) * triton.cdiv(F, bn),)
    _ff_gate_kernel[grid](
        x, w1, w3, out, M, F, D,
        x.stride(0), x.stride(1), w1.stride(0), w1.stride(1), w3.stride(0), w3.stride(1),
        out.stride(0), out.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
        UPCAST=interpret and x.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return out

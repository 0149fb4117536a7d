"""Ground truth for test_chained_dot_fp8: D = dequant(quant_fp8(A @ B) @ C) with every
operand in FP8 E4M3 (OCP e4m3fn) and per-tensor float32 scales, the pattern of an FP8
attention block (scores re-quantized before the second product) or an FP8 low-rank chain.

  T  = (A_q @ B_q) * a_scale * b_scale          float32 accumulation
  Tq = fp8_e4m3(clamp(T / t_scale, -448, 448))  round to nearest even, saturating
  D  = (Tq @ C_q) * t_scale * c_scale           float32 accumulation, stored as D's dtype

Each program owns BLOCK_M rows: it computes the whole (BLOCK_M, N1) slice of T with
fp8 tl.dot over K, re-quantizes it in registers, then sweeps D's columns in BLOCK_N2
steps with a second fp8 tl.dot. T never goes through memory."""

import os

import torch
import triton
import triton.language as tl

FP8_MAX = 448.0  # largest finite e4m3fn value


@triton.jit
def _round_to_e4m3_grid(x):
    """x (float32, |x| <= 448) rounded to the nearest e4m3 value (ties to even), still
    as float32. Used only in the CPU interpreter, whose float32 -> fp8 conversion
    mis-rounds values that round up to the next power of two (7.9 -> 4 instead of 8)."""
    bits = x.to(tl.uint32, bitcast=True)
    exp = ((bits >> 23) & 0xFF).to(tl.int32) - 127
    exp = tl.maximum(exp, -6)  # e4m3 subnormals are spaced 2^-9
    ulp = ((exp - 3 + 127).to(tl.uint32) << 23).to(tl.float32, bitcast=True)
    magic = 12582912.0  # 1.5 * 2^23: adding and subtracting it rounds to an integer
    return ((x / ulp + magic) - magic) * ulp


@triton.jit
def _chained_dot_fp8_kernel(a_ptr, b_ptr, c_ptr, d_ptr,
                            a_scale_ptr, b_scale_ptr, c_scale_ptr, t_scale_ptr,
                            M, K, N1, N2,
                            stride_am, stride_ak, stride_bk, stride_bn, stride_ck, stride_cn,
                            stride_dm, stride_dn,
                            BLOCK_M: tl.constexpr, BLOCK_K: tl.constexpr,
                            BLOCK_N1: tl.constexpr, BLOCK_N2: tl.constexpr,
                            EXACT_ROUND: tl.constexpr):
    pid_m = tl.program_id(0)
    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_k = tl.arange(0, BLOCK_K)
    offs_n1 = tl.arange(0, BLOCK_N1)  # all of N1 (padded to a power of two)
    m_ok = offs_m < M
    n1_ok = offs_n1 < N1
    a_ptrs = a_ptr + offs_m[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak
    b_ptrs = b_ptr + offs_k[:, None] * stride_bk + offs_n1[None, :] * stride_bn

    # First product on fp8 operands; padding and tails load 0 (exact in fp8).
    t = tl.zeros((BLOCK_M, BLOCK_N1), dtype=tl.float32)
    for kk in range(0, tl.cdiv(K, BLOCK_K)):
        k_left = K - kk * BLOCK_K
        a = tl.load(a_ptrs, mask=m_ok[:, None] & (offs_k[None, :] < k_left), other=0.0)
        b = tl.load(b_ptrs, mask=(offs_k[:, None] < k_left) & n1_ok[None, :], other=0.0)
        t = tl.dot(a, b, t)
        a_ptrs += BLOCK_K * stride_ak
        b_ptrs += BLOCK_K * stride_bk

    a_scale = tl.load(a_scale_ptr)
    b_scale = tl.load(b_scale_ptr)
    c_scale = tl.load(c_scale_ptr)
    t_scale = tl.load(t_scale_ptr)
    # Dequantize, re-quantize with T's static scale (saturating at the fp8 maximum).
    t = tl.clamp(t * a_scale * b_scale / t_scale, -448.0, 448.0)
    if EXACT_ROUND:
        t = _round_to_e4m3_grid(t)
    t_q = t.to(c_ptr.dtype.element_ty)
    d_scale = t_scale * c_scale

    rows64 = offs_m[:, None].to(tl.int64)
    for nn in range(0, tl.cdiv(N2, BLOCK_N2)):
        offs_n2 = nn * BLOCK_N2 + tl.arange(0, BLOCK_N2)
        n2_ok = offs_n2 < N2
        c = tl.load(c_ptr + offs_n1[:, None] * stride_ck + offs_n2[None, :] * stride_cn,
                    mask=n1_ok[:, None] & n2_ok[None, :], other=0.0)
        d = tl.dot(t_q, c) * d_scale
        tl.store(d_ptr + rows64 * stride_dm + offs_n2[None, :] * stride_dn,
                 d.to(d_ptr.dtype.element_ty), mask=m_ok[:, None] & n2_ok[None, :])


def test_chained_dot_fp8(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor,
                         a_scale: torch.Tensor, b_scale: torch.Tensor, c_scale: torch.Tensor,
                         t_scale: torch.Tensor, out_dtype: torch.dtype) -> torch.Tensor:
    M, K = a.shape
    N1 = b.shape[1]
    N2 = c.shape[1]
    d = torch.empty((M, N2), device=a.device, dtype=out_dtype)
    block_n1 = max(32, triton.next_power_of_2(N1))
    assert block_n1 <= 256, "the middle dimension N1 must be at most 256"
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        bm, bk, bn2, warps, stages = 32, 32, 32, 4, 1  # small tests span several tiles
    else:
        # T's (BLOCK_M, N1) float32 accumulator stays in registers all along. The A and
        # B tiles of one stage take <= 32 KB on MI300 (64 KB LDS), 40 KB on NVIDIA.
        bm = 128 if block_n1 <= 128 else 64
        bk = 64 if torch.version.hip else 128
        bn2 = 128
        warps, stages = 8, 2 if torch.version.hip else 3
    grid = (triton.cdiv(M, bm),)
    _chained_dot_fp8_kernel[grid](
        a, b, c, d, a_scale, b_scale, c_scale, t_scale, M, K, N1, N2,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        d.stride(0), d.stride(1),
        BLOCK_M=bm, BLOCK_K=bk, BLOCK_N1=block_n1, BLOCK_N2=bn2, EXACT_ROUND=interpret,
        num_warps=warps, num_stages=stages)
    return d

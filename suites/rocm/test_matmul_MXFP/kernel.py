"""Ground truth for test_matmul_MXFP: C = A @ W^T with W stored in the OCP MXFP4 format
(the format of e.g. gpt-oss MoE weights): FP4 E2M1 elements, two per byte, and one E8M0
scale (a power of two, 2^(s - 127)) shared by each block of 32 consecutive elements of
a row along K. A is float16 or bfloat16 activations.

Each program owns one BLOCK_M x BLOCK_N tile of C. Per BLOCK_K step it loads the A tile,
the (BLOCK_N, BLOCK_K / 2) packed weight bytes and the (BLOCK_N, BLOCK_K / 32) scale
bytes, decodes the weights in registers (integer bit manipulation into float32, exact),
multiplies each 32-block by its scale, converts to A's dtype (still exact: a scaled
E2M1 value has two significant bits) and feeds tl.dot with a float32 accumulator. This
uses only integer and float ops every Triton backend has, so it runs the same on AMD,
NVIDIA and the CPU interpreter (no tl.dot_scaled / hardware FP4 needed)."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _decode_e2m1(code):
    """Float32 value of 4-bit E2M1 codes (int32 in [0, 15]): sign | 2-bit exponent |
    1-bit mantissa; exponent 0 is subnormal (0 or 0.5), else (1 + m/2) * 2^(e - 1)."""
    sign = (code >> 3) & 1
    exp = (code >> 1) & 3
    man = code & 1
    # Normal: float32 exponent e - 1 + 127, mantissa's top bit m. Subnormal: 0.5 * m.
    normal_bits = ((exp + 126) << 23) | (man << 22)
    sub_bits = tl.where(man == 1, 126 << 23, 0)
    bits = tl.where(exp == 0, sub_bits, normal_bits) | (sign << 31)
    return bits.to(tl.float32, bitcast=True)


@triton.jit
def _mxfp4_matmul_kernel(a_ptr, wq_ptr, ws_ptr, c_ptr, M, N, K,
                         stride_am, stride_ak, stride_wqn, stride_wqk, stride_wsn, stride_wsk,
                         stride_cm, stride_cn,
                         BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                         GROUP_M: tl.constexpr, UPCAST: tl.constexpr):
    MX_BLOCK: tl.constexpr = 32  # elements sharing one scale
    pid = tl.program_id(0)
    num_pid_m = tl.cdiv(M, BLOCK_M)
    num_pid_n = tl.cdiv(N, BLOCK_N)
    # Grouped tile order: GROUP_M tile rows are swept column by column, for L2 reuse.
    per_group = GROUP_M * num_pid_n
    first_m = (pid // per_group) * GROUP_M
    group_rows = tl.minimum(num_pid_m - first_m, GROUP_M)
    pid_m = first_m + (pid % per_group) % group_rows
    pid_n = (pid % per_group) // group_rows

    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    offs_kb = tl.arange(0, BLOCK_K // 2)          # packed bytes along K
    offs_ks = tl.arange(0, BLOCK_K // MX_BLOCK)   # scales along K
    m_ok = offs_m < M
    n_ok = offs_n < N
    a_ptrs = a_ptr + offs_m[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak
    wq_ptrs = wq_ptr + offs_n[:, None].to(tl.int64) * stride_wqn + offs_kb[None, :] * stride_wqk
    ws_ptrs = ws_ptr + offs_n[:, None].to(tl.int64) * stride_wsn + offs_ks[None, :] * stride_wsk

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for kk in range(0, tl.cdiv(K, BLOCK_K)):
        k_left = K - kk * BLOCK_K  # a multiple of 32: whole scale blocks only
        a = tl.load(a_ptrs, mask=m_ok[:, None] & (offs_k[None, :] < k_left), other=0.0)
        packed = tl.load(wq_ptrs, mask=n_ok[:, None] & (offs_kb[None, :] * 2 < k_left), other=0)
        sexp = tl.load(ws_ptrs, mask=n_ok[:, None] & (offs_ks[None, :] * MX_BLOCK < k_left),
                       other=127)
        # Byte j holds element 2j in its low nibble and element 2j + 1 in its high one.
        packed = packed.to(tl.int32)
        lo = _decode_e2m1(packed & 0xF)
        hi = _decode_e2m1(packed >> 4)
        w = tl.reshape(tl.join(lo, hi), (BLOCK_N, BLOCK_K))
        # E8M0 scale 2^(s - 127): the float32 with exponent field s (s in [1, 254]).
        scale = (sexp.to(tl.uint32) << 23).to(tl.float32, bitcast=True)
        w = tl.reshape(w, (BLOCK_N, BLOCK_K // MX_BLOCK, MX_BLOCK)) * scale[:, :, None]
        w = tl.reshape(w, (BLOCK_N, BLOCK_K))
        if UPCAST:
            # CPU interpreter (its 16-bit tl.dot is unreliable): both operands in
            # float32, which holds them exactly, so the product is unchanged.
            a = a.to(tl.float32)
        else:
            w = w.to(a_ptr.dtype.element_ty)
        acc = tl.dot(a, tl.trans(w), acc)
        a_ptrs += BLOCK_K * stride_ak
        wq_ptrs += (BLOCK_K // 2) * stride_wqk
        ws_ptrs += (BLOCK_K // MX_BLOCK) * stride_wsk

    c_ptrs = c_ptr + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, acc.to(c_ptr.dtype.element_ty), mask=m_ok[:, None] & n_ok[None, :])


def test_matmul_MXFP(a: torch.Tensor, w_packed: torch.Tensor, w_scales: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    N = w_packed.shape[0]
    assert K % 32 == 0 and w_packed.shape[1] * 2 == K and w_scales.shape[1] * 32 == K
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        bm, bn, bk, warps, stages = 32, 32, 64, 4, 1  # small tests span several tiles
    elif torch.version.hip:
        bm, bn, bk, warps, stages = 128, 128, 64, 8, 2  # 32 KB of tiles: MI300 LDS is 64 KB
    else:
        bm, bn, bk, warps, stages = 128, 128, 128, 8, 3
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _mxfp4_matmul_kernel[grid](
        a, w_packed, w_scales, c, M, N, K,
        a.stride(0), a.stride(1), w_packed.stride(0), w_packed.stride(1),
        w_scales.stride(0), w_scales.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8, UPCAST=interpret,
        num_warps=warps, num_stages=stages)
    return c

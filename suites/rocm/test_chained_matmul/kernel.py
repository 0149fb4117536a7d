"""Ground truth for test_chained_matmul: D = (A @ B) @ C in one kernel, for a narrow
middle dimension N1 (a low-rank adapter, a projection head, ...). Each program owns
BLOCK_M rows: it first computes its whole (BLOCK_M, N1) slice of T = A @ B in
registers (walking K in BLOCK_K steps), rounds T to the input dtype as the operand of
the second tensor-core dot, and then sweeps the columns of D in BLOCK_N2 steps,
D_tile = T @ C[:, tile]. T never goes through memory and is computed only once."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _chained_matmul_kernel(a_ptr, b_ptr, c_ptr, d_ptr, M, K, N1, N2,
                           stride_am, stride_ak, stride_bk, stride_bn, stride_ck, stride_cn,
                           stride_dm, stride_dn,
                           BLOCK_M: tl.constexpr, BLOCK_K: tl.constexpr,
                           BLOCK_N1: tl.constexpr, BLOCK_N2: tl.constexpr,
                           UPCAST: tl.constexpr):
    pid_m = tl.program_id(0)
    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_k = tl.arange(0, BLOCK_K)
    offs_n1 = tl.arange(0, BLOCK_N1)  # all of N1 (padded to a power of two)
    m_ok = offs_m < M
    n1_ok = offs_n1 < N1
    a_ptrs = a_ptr + offs_m[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak
    b_ptrs = b_ptr + offs_k[:, None] * stride_bk + offs_n1[None, :] * stride_bn

    # First product: T = A[rows, :] @ B, float32 accumulation. Masked-out rows, K tail
    # and N1 padding load zeros and contribute nothing.
    t = tl.zeros((BLOCK_M, BLOCK_N1), dtype=tl.float32)
    for kk in range(0, tl.cdiv(K, BLOCK_K)):
        k_left = K - kk * BLOCK_K
        a = tl.load(a_ptrs, mask=m_ok[:, None] & (offs_k[None, :] < k_left), other=0.0)
        b = tl.load(b_ptrs, mask=(offs_k[:, None] < k_left) & n1_ok[None, :], other=0.0)
        if UPCAST:
            # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
            a = a.to(tl.float32)
            b = b.to(tl.float32)
        t = tl.dot(a, b, t)
        a_ptrs += BLOCK_K * stride_ak
        b_ptrs += BLOCK_K * stride_bk

    # T becomes the second dot's operand in the input dtype (a no-op for float32).
    t_op = t.to(c_ptr.dtype.element_ty)
    if UPCAST:
        t_op = t_op.to(tl.float32)

    # Second product, one BLOCK_N2 column tile of D at a time.
    rows64 = offs_m[:, None].to(tl.int64)
    for nn in range(0, tl.cdiv(N2, BLOCK_N2)):
        offs_n2 = nn * BLOCK_N2 + tl.arange(0, BLOCK_N2)
        n2_ok = offs_n2 < N2
        c = tl.load(c_ptr + offs_n1[:, None] * stride_ck + offs_n2[None, :] * stride_cn,
                    mask=n1_ok[:, None] & n2_ok[None, :], other=0.0)
        if UPCAST:
            c = c.to(tl.float32)
        d = tl.dot(t_op, c)
        tl.store(d_ptr + rows64 * stride_dm + offs_n2[None, :] * stride_dn,
                 d.to(d_ptr.dtype.element_ty), mask=m_ok[:, None] & n2_ok[None, :])


def test_chained_matmul(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    N1 = b.shape[1]
    N2 = c.shape[1]
    d = torch.empty((M, N2), device=a.device, dtype=a.dtype)
    block_n1 = max(16, triton.next_power_of_2(N1))
    assert block_n1 <= 256, "the middle dimension N1 must be at most 256"
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        bm, bk, bn2, warps, stages = 32, 32, 32, 4, 1  # small tests still span several tiles
    else:
        # T's (BLOCK_M, N1) float32 accumulator lives in registers for the whole
        # program: 128 rows up to N1 = 128, 64 rows beyond. Shared memory per stage:
        # <= 32 KB on MI300 (64 KB LDS) for the A and B tiles; the C tile (N1, BLOCK_N2)
        # is held to 32 KB so 3 stages of it plus T fit an H100's 227 KB.
        bm = 128 if block_n1 <= 128 else 64
        if torch.version.hip:
            bk, stages = 32, 2
        else:
            bk, stages = (64 if a.dtype != torch.float32 else 32), 3
        bn2 = max(16, min(128, 32768 // (block_n1 * a.element_size())))
        warps = 8
    grid = (triton.cdiv(M, bm),)
    _chained_matmul_kernel[grid](
        a, b, c, d, M, K, N1, N2,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        d.stride(0), d.stride(1),
        BLOCK_M=bm, BLOCK_K=bk, BLOCK_N1=block_n1, BLOCK_N2=bn2,
        UPCAST=interpret and a.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return d

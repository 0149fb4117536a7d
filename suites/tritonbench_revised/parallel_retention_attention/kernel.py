"""Ground truth for parallel_retention_attention: RetNet retention in its parallel form
with the row normaliser, computed flash-style. Each program owns BLOCK_M query rows of
one (batch, head) and streams the keys and values in BLOCK_N blocks (only blocks at or
below the diagonal), building each retention tile
    R[t, s] = (q_t . k_s) / sqrt(D) * gamma^(t - s)   (s <= t, else 0)
in float32 and accumulating both R @ v and the row sums of R. The normaliser
max(|sum_s R[t, s]|, 1) is one scalar per row, so dividing the accumulated R @ v by it
at the end equals normalising R first: one pass, and no T x T matrix in memory.
The decay of a tile factors as gamma^(t0 - s0 + i) * gamma^(-j) (i, j the row and column
inside the tile): BLOCK_M + BLOCK_N exp2 per tile instead of one per element, every
factor bounded (gamma^-BLOCK_N < 8, gamma >= 1 - 2^-5)."""

import os

import torch
import triton
import triton.language as tl

LN2 = tl.constexpr(0.6931471805599453)  # kernels may read constexpr globals only


@triton.jit
def _retention_inner(acc, rsum, q, k_base, v_base, stride_t, offs_m, offs_n, offs_d,
                     t0, lo, hi, T, qk_scale, lg,
                     HEAD_DIM: tl.constexpr, BLOCK_N: tl.constexpr,
                     MASKED: tl.constexpr, UPCAST: tl.constexpr):
    """Folds key/value blocks [lo, hi) into (acc, rsum). MASKED blocks may hold keys
    past T or after a query (the diagonal tile); the others are all valid."""
    EVEN_D: tl.constexpr = HEAD_DIM == offs_d.shape[0]
    d_ok = offs_d < HEAD_DIM
    rows_i = (offs_m - t0).to(tl.float32)
    # gamma^(-j): grows with j but stays below gamma^-BLOCK_N.
    col_f = tl.exp2(-lg * offs_n.to(tl.float32))
    for s0 in range(lo, hi, BLOCK_N):
        cols = s0 + offs_n
        # K is read transposed, (BLOCK_D, BLOCK_N), so q @ k is a plain dot.
        k_ptrs = k_base + cols[None, :] * stride_t + offs_d[:, None]
        v_ptrs = v_base + cols[:, None] * stride_t + offs_d[None, :]
        if MASKED:
            k = tl.load(k_ptrs, mask=d_ok[:, None] & (cols[None, :] < T), other=0.0)
            v = tl.load(v_ptrs, mask=d_ok[None, :] & (cols[:, None] < T), other=0.0)
        elif EVEN_D:
            k = tl.load(k_ptrs)
            v = tl.load(v_ptrs)
        else:
            k = tl.load(k_ptrs, mask=d_ok[:, None], other=0.0)
            v = tl.load(v_ptrs, mask=d_ok[None, :], other=0.0)
        if UPCAST:
            k = k.to(tl.float32)
            v = v.to(tl.float32)
        # gamma^(t - s) = gamma^(t0 - s0 + i) * gamma^(-j), the 1/sqrt(D) folded into the
        # row factor; far blocks may underflow towards 0 (their true weight is below it).
        row_f = tl.exp2(lg * ((t0 - s0).to(tl.float32) + rows_i)) * qk_scale
        r = tl.dot(q, k) * row_f[:, None] * col_f[None, :]
        if MASKED:
            r = tl.where((cols[None, :] <= offs_m[:, None]) & (cols[None, :] < T), r, 0.0)
        rsum += tl.sum(r, 1)
        # R is rounded to v's dtype so the second product also runs on the matrix units.
        acc = tl.dot(r.to(v.dtype), v, acc)
    return acc, rsum


@triton.jit
def _parallel_retention_kernel(q_ptr, k_ptr, v_ptr, o_ptr, stride_b, stride_t, H, T, qk_scale,
                               HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                               BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                               UPCAST: tl.constexpr):
    # The longest rows (most key blocks) start first.
    start_m = tl.num_programs(0) - 1 - tl.program_id(0)
    bh = tl.program_id(1)
    b = (bh // H).to(tl.int64)  # 64-bit offsets: B * T * H * D can pass 2^31
    h = bh % H
    # log2(gamma_h), gamma_h = 1 - x with x = 2^(-5 - h): log2(1 - 1/32) directly for
    # head 0; for x <= 2^-6 the series -(x + x^2/2 + x^3/3 + x^4/4) / ln 2 (error below
    # x^5 / 5, under 2^-24 relative), since 1 - x itself rounds to 1 in float32 from
    # head 19 on.
    x = tl.exp2(-5.0 - h.to(tl.float32))
    lg = tl.where(h == 0, tl.log2(1.0 - x),
                  -(x + x * x * (0.5 + x * (1.0 / 3.0 + x * 0.25))) * (1.0 / LN2))
    off = b * stride_b + h.to(tl.int64) * HEAD_DIM
    q_base = q_ptr + off
    k_base = k_ptr + off
    v_base = v_ptr + off
    o_base = o_ptr + off

    t0 = start_m * BLOCK_M
    offs_m = t0 + tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, BLOCK_D)
    io_mask = (offs_m[:, None] < T) & (offs_d[None, :] < HEAD_DIM)
    q = tl.load(q_base + offs_m[:, None] * stride_t + offs_d[None, :], mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)
    acc = tl.zeros([BLOCK_M, BLOCK_D], dtype=tl.float32)
    rsum = tl.zeros([BLOCK_M], dtype=tl.float32)
    # Key blocks left of the query tile need no mask; the tile's own span (BLOCK_M a
    # multiple of BLOCK_N) is masked; blocks right of it are skipped entirely.
    acc, rsum = _retention_inner(acc, rsum, q, k_base, v_base, stride_t, offs_m, offs_n,
                                 offs_d, t0, 0, t0, T, qk_scale, lg,
                                 HEAD_DIM, BLOCK_N, False, UPCAST)
    acc, rsum = _retention_inner(acc, rsum, q, k_base, v_base, stride_t, offs_m, offs_n,
                                 offs_d, t0, t0, tl.minimum(t0 + BLOCK_M, T), T, qk_scale, lg,
                                 HEAD_DIM, BLOCK_N, True, UPCAST)
    out = acc / tl.maximum(tl.abs(rsum), 1.0)[:, None]
    tl.store(o_base + offs_m[:, None] * stride_t + offs_d[None, :],
             out.to(o_ptr.dtype.element_ty), mask=io_mask)


def parallel_retention_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    B, T, H, D = q.shape
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    o = torch.empty_like(q)
    if o.numel() == 0:
        return o
    block_d = max(16, triton.next_power_of_2(D))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        # Small tiles, so the small test sequences span several blocks and a tail.
        block_m, block_n, warps, stages = 16, 16, 4, 1
    elif torch.version.hip:
        # MI300: one LDS stage; 4 waves of 64 lanes per 128-row tile.
        block_m, block_n, warps, stages = (128, 64, 4, 1) if block_d <= 128 else (64, 32, 4, 1)
    else:
        # H100/H200: Q tile 32 KB + 3 stages of K and V tiles (96 KB) in shared memory.
        block_m, block_n, warps, stages = (128, 64, 8, 3) if block_d <= 128 else (64, 32, 4, 2)
    grid = (triton.cdiv(T, block_m), B * H)
    _parallel_retention_kernel[grid](
        q, k, v, o, q.stride(0), q.stride(1), H, T, D ** -0.5,
        HEAD_DIM=D, BLOCK_D=block_d, BLOCK_M=block_m, BLOCK_N=block_n,
        # The CPU interpreter's tl.dot is wrong on bf16 operands; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return o

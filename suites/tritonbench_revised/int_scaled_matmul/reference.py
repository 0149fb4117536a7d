"""int_scaled_matmul: out = (A @ B).to(float32) * scale[:, None] for int8 A (M, K) and
int8 B (K, N) with an exact int32 product (as torch._int_mm) and one float32 scale per
row; returned as float32."""

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    a = torch.randint(-128, 128, (m, k), generator=gen, dtype=torch.int8)
    b = torch.randint(-128, 128, (k, n), generator=gen, dtype=torch.int8)
    # Edges: row 0 of A and column 0 of B are all -128 (the largest sum, 16384 * K).
    # Row 1 of A is +127 over the first half of K and -127 over the second, and column 1
    # of B is in [100, 127]: the partial sums of C[1, 1] climb to about 7200 * K (past
    # 2^24 once K > 2330) in steps that are not multiples of a power of two, then
    # cancel down to a few 1e4. An int32 accumulator is exact; a float32 one rounds by
    # units near the peak, a relative error of ~1e-4 in the small final value.
    a[0] = -128
    b[:, 0] = -128
    if m > 1:
        a[1, : k // 2] = 127
        a[1, k // 2:] = -127
    if n > 1:
        b[:, 1] = torch.randint(100, 128, (k,), generator=gen, dtype=torch.int8)
    # Row scales of a dequantization, (0.5..1.5) / 127^2; row 2 has scale 0.
    scale = (0.5 + torch.rand(m, generator=gen)) / 16129.0
    if m > 2:
        scale[2] = 0.0
    return [a, b, scale]


def reference(a, b, scale):
    # float64 gives the exact integer sums (|products| <= 2^14, sums < 2^53) and, unlike
    # int64, has a GPU matmul; then int32 -> float32 (one rounding) times the scale
    # (one rounding), as the instruction specifies.
    acc = (a.to(torch.float64) @ b.to(torch.float64)).to(torch.int32)
    return acc.to(torch.float32) * scale[:, None]


def baseline(a, b, scale):
    """What a PyTorch user writes: the int8 GEMM as float32 matmuls over K chunks of 1024,
    summed exactly in int32, then the row scale."""
    # No public int8 matmul runs on the GPU (torch._int_mm is private), and one float32
    # GEMM rounds once |sums| pass 2^24. With |a * b| <= 2^14, every partial sum of a
    # 1024-long chunk is an integer below 2^24, so each chunk's float32 GEMM is exact.
    af, bf = a.float(), b.float()
    acc = torch.zeros(a.shape[0], b.shape[1], dtype=torch.int32, device=a.device)
    for k0 in range(0, a.shape[1], 1024):
        acc += (af[:, k0:k0 + 1024] @ bf[k0:k0 + 1024]).to(torch.int32)
    return acc.to(torch.float32) * scale[:, None]

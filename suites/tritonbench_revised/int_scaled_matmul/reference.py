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

"""int8_matmul_quantization (W8A8): out = (A @ B) * a_scale[:, None] * b_scale[None, :]
(+ bias[None, :]) for int8 A (M, K) with per-row (per-token) scales and int8 B (K, N)
with per-column (per-output-channel) scales; the integer product is exact, the scaling
is done in float32 and the result is returned as float16."""

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # Symmetric int8 codes in [-127, 127]. Each sum A[i, :] @ B[:, j] then has a spread of
    # about 127^2 / 3 * sqrt(K); scales of (0.5..1.5) / (127 K^(1/4)) and
    # (0.5..1.5) * sqrt(3) / (127 K^(1/4)) bring every output to ~N(0, 0.6) at every K.
    a = torch.randint(-127, 128, (m, k), generator=gen, dtype=torch.int8)
    b = torch.randint(-127, 128, (k, n), generator=gen, dtype=torch.int8)
    # Edge: row 0 of A and column 0 of B are all +127 (the largest sum, 127^2 * K, past
    # 2^24 for K > 1040: no longer exact in float32 before the scaling), with scales
    # shrunk so the output stays ~1 and within float16 range.
    a[0] = 127
    b[:, 0] = 127
    q = k ** 0.25
    a_scale = (0.5 + torch.rand(m, generator=gen)) / (127.0 * q)
    b_scale = (0.5 + torch.rand(n, generator=gen)) * 3.0 ** 0.5 / (127.0 * q)
    a_scale[0] /= k ** 0.5
    b_scale[0] /= k ** 0.5
    bias = None
    if case.params.get("has_bias", 0.0):
        bias = torch.randn(n, generator=gen).to(torch.float16)
    return [a, b, a_scale, b_scale, bias]


def reference(a, b, a_scale, b_scale, bias):
    # float64 gives the exact integer sums (|products| <= 2^14, sums < 2^53) and, unlike
    # int64, has a GPU matmul; then int32 -> float32 as the kernel does.
    acc = (a.to(torch.float64) @ b.to(torch.float64)).to(torch.int32).to(torch.float32)
    out = acc * a_scale[:, None] * b_scale[None, :]
    if bias is not None:
        out = out + bias.to(torch.float32)[None, :]
    return out.to(torch.float16)


def baseline(a, b, a_scale, b_scale, bias):
    """What a PyTorch user writes without torch._int_mm: a float32 GEMM, then the scales."""
    # PyTorch has no public int8 GEMM on the GPU; float32 holds the int8 values exactly and
    # its accumulation (2^-24 relative) is far inside the float16 output's tolerance.
    out = (a.float() @ b.float()) * a_scale[:, None] * b_scale
    if bias is not None:
        out = out + bias.float()
    return out.half()

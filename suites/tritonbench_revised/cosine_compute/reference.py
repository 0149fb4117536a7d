"""cosine_compute: row-wise cosine similarity of a and b, both (M, N), with torch's
F.cosine_similarity(a, b, dim=1, eps) rule:
    out[m] = <a_m, b_m> / (max(||a_m||, eps) * max(||b_m||, eps)),
computed in float64 and returned in a's dtype (a zero row gives 0)."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    eps = case.params.get("eps", 1e-8)
    a = torch.randn(m, n, generator=gen, dtype=torch.float32)
    b = torch.randn(m, n, generator=gen, dtype=torch.float32)
    # Edge rows (where M allows): row 0 has a = 0, row 1 has a = b = 0 (both give 0, not
    # NaN); every 7th row from 2 has b = -a (cosine -1) and every 7th from 3 has b = 3a
    # (cosine +1); every 7th from 4 is scaled by `tiny` in both tensors, so with a large
    # eps param the clamp max(||.||, eps) decides the value; every 7th from 5 is scaled
    # by `big` (sums of squares far above float16's range, fine in float32).
    tiny = case.params.get("tiny", 1e-3)
    big = case.params.get("big", 100.0)
    if m > 0:
        a[0] = 0.0
    if m > 1:
        a[1] = 0.0
        b[1] = 0.0
    b[2::7] = -a[2::7]
    b[3::7] = 3.0 * a[3::7]
    a[4::7] *= tiny
    b[4::7] *= tiny
    a[5::7] *= big
    b[5::7] *= big
    return [a.to(case.dtype), b.to(case.dtype), eps]


def reference(a, b, eps):
    out = torch.nn.functional.cosine_similarity(a.to(torch.float64), b.to(torch.float64), dim=1, eps=eps)
    return out.to(a.dtype)


def baseline(a, b, eps):
    """What a PyTorch user writes: F.cosine_similarity in float32."""
    # 16-bit rows upcast: the dot product and norms of long rows need float32 sums.
    return torch.nn.functional.cosine_similarity(a.float(), b.float(), dim=1, eps=eps).to(a.dtype)

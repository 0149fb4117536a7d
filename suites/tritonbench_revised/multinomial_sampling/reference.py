"""multinomial_sampling: draw one token per row of a (B, V) probability matrix by
inverse-CDF sampling with given uniforms u (B,):
    out[b] = the smallest j with probs[b, 0] + ... + probs[b, j] > u[b]
(int64). Each row sums to exactly 1 and every probability is a multiple of 2^-24, so
every float32 prefix sum is exact in any summation order and the answer is unique: a
token of probability 0 is never drawn."""

import torch

_QUANTUM = 2 ** 24  # probabilities are integers / 2^24


def make_inputs(case, gen):
    b, v = case.dims["B"], case.dims["V"]
    # Softmax of scaled normal logits (params.scale: 1 = flat-ish, 10 = peaked rows).
    scale = case.params.get("scale", 1.0)
    logits = torch.randn(b, v, generator=gen, dtype=torch.float64) * scale
    # Every 3rd row keeps only its top-k tokens (k <= 50), the rest get probability 0,
    # as after top-k filtering.
    k = min(v, 50)
    topk_rows = torch.arange(b) % 3 == 2
    if v > k and topk_rows.any():
        kth = logits[topk_rows].topk(k, dim=1).values[:, -1:]
        logits[topk_rows] = torch.where(logits[topk_rows] >= kth, logits[topk_rows],
                                        torch.tensor(float("-inf"), dtype=torch.float64))
    probs = torch.softmax(logits, dim=1)
    # Quantize to multiples of 2^-24 summing to exactly 1: floor, then give the missing
    # quanta to each row's most likely token.
    counts = torch.floor(probs * _QUANTUM).to(torch.int64)
    counts[torch.arange(b), probs.argmax(dim=1)] += _QUANTUM - counts.sum(dim=1)
    if b > 3:
        counts[3] = 0
        counts[3, -1] = _QUANTUM  # one-hot on the last token (a masked tail)
    probs = (counts.to(torch.float64) / _QUANTUM).to(torch.float32)
    u = torch.rand(b, generator=gen, dtype=torch.float32)
    u[0] = 0.0                       # draws the first token of nonzero probability
    if b > 1:
        u[1] = 1.0 - 2.0 ** -24      # largest float32 below 1: the last nonzero token
    return [probs, u]


def reference(probs, u):
    # Exact prefix sums (float64 holds these float32 values' sums exactly); the count
    # of prefixes <= u is the index of the first prefix > u.
    cdf = torch.cumsum(probs.to(torch.float64), dim=1)
    return (cdf <= u.to(torch.float64)[:, None]).sum(dim=1).to(torch.int64)


def baseline(probs, u):
    """What a PyTorch user writes: a float32 cumsum (exact here) and torch.searchsorted."""
    cdf = torch.cumsum(probs, dim=1)
    return torch.searchsorted(cdf, u[:, None], right=True).squeeze(1)

"""cross_entropy2: mean cross-entropy of logits x (N, V) against int64 targets t (N,)
with ignore_index -100, and its gradient:
    loss = sum_{i: t[i] != -100} (logsumexp_j x[i, j] - x[i, t[i]]) / n_valid,
    dx[i, j] = (softmax(x[i])[j] - [j == t[i]]) / n_valid   (0 on ignored rows),
computed in float64 with autograd; loss returned as a 0-d float32 tensor, dx in x's dtype."""

import torch


def make_inputs(case, gen):
    n, v = case.dims["N"], case.dims["V"]
    # param scale multiplies the standard-normal logits: at 25 the largest logits pass
    # 88, where exp overflows float32 unless the row max is subtracted.
    scale = case.params.get("scale", 1.0)
    x = (torch.randn(n, v, generator=gen, dtype=torch.float32) * scale).to(case.dtype)
    t = torch.randint(0, v, (n,), generator=gen, dtype=torch.int64)
    # Edge targets: class 0 and class V - 1 (in the masked tail chunk), the row argmax
    # on every 6th row from 2 (softmax near 1 minus one), and ignore_index -100 on every
    # 4th row from 1 (row 0 is never ignored, so the mean is defined).
    t[0] = 0
    if n > 2:
        t[-1] = v - 1
    t[2::6] = x[2::6].to(torch.float32).argmax(dim=1)
    t[1::4] = -100
    return [x, t]


def reference(logits, targets):
    x = logits.detach().to(torch.float64).requires_grad_(True)
    loss = torch.nn.functional.cross_entropy(x, targets, ignore_index=-100, reduction="mean")
    loss.backward()
    return loss.detach().to(torch.float32), x.grad.to(logits.dtype)


def baseline(logits, targets):
    """What a PyTorch user writes: F.cross_entropy on float32 logits, backward by autograd."""
    # Logits upcast to float32 (a no-op for float32), as losses routinely are.
    x = logits.detach().float().requires_grad_(True)
    loss = torch.nn.functional.cross_entropy(x, targets, ignore_index=-100, reduction="mean")
    loss.backward()
    return loss.detach(), x.grad.to(logits.dtype)

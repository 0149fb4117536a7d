"""Ground truth for cross_entropy1: per-row cross-entropy loss. One program per row
streams the logits in BLOCK-wide chunks with an online logsumexp (running max m and
running sum s of exp(x - m), rescaled when m grows), then subtracts the target logit."""

import torch
import triton
import triton.language as tl

IGNORE_INDEX = -100
MAX_BLOCK = 4096  # chunk width along the vocabulary


@triton.jit
def _ce_rows_kernel(x_ptr, t_ptr, loss_ptr, V, stride_x, ignore_index, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)  # 64-bit: N * V may pass 2^31
    x_row = x_ptr + row * stride_x
    cols = tl.arange(0, BLOCK)
    # Scalar running max and sum; the first chunk holds at least one real logit, so m is
    # finite after it and exp(m - m_new) never sees -inf - (-inf).
    m = float("-inf")
    s = 0.0
    for start in range(0, V, BLOCK):
        offs = start + cols
        x = tl.load(x_row + offs, mask=offs < V, other=float("-inf")).to(tl.float32)
        m_new = tl.maximum(m, tl.max(x, axis=0))
        s = s * tl.exp(m - m_new) + tl.sum(tl.exp(x - m_new), axis=0)
        m = m_new
    t = tl.load(t_ptr + row)
    ignored = t == ignore_index
    x_t = tl.load(x_row + tl.where(ignored, 0, t)).to(tl.float32)
    # loss = logsumexp - x_t, written as (m - x_t) + log(s): m - x_t is exact when the
    # target is the row max, so large logits lose no precision to cancellation.
    loss = (m - x_t) + tl.log(s)
    tl.store(loss_ptr + row, tl.where(ignored, 0.0, loss))


def cross_entropy1(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    n, v = logits.shape
    if logits.stride(1) != 1:
        logits = logits.contiguous()
    targets = targets.contiguous()
    loss = torch.empty((n,), device=logits.device, dtype=torch.float32)
    if n == 0:
        return loss
    block = min(triton.next_power_of_2(v), MAX_BLOCK)
    warps = 4 if block <= 1024 else 8
    _ce_rows_kernel[(n,)](logits, targets, loss, v, logits.stride(0), IGNORE_INDEX,
                          BLOCK=block, num_warps=warps)
    return loss

"""Ground truth for fast_ce_loss: cross-entropy over a very large vocabulary. One program
per row streams the bfloat16 logits once in wide chunks (8192 logits, 16 KiB, per step)
and keeps an online logsumexp: a running max m and a running sum s of exp(x - m),
rescaled by exp(m_old - m_new) when a chunk raises the max (one exp per logit)."""

import torch
import triton
import triton.language as tl

IGNORE_INDEX = -100
MAX_BLOCK = 8192  # logits per chunk: 32 per thread at 8 warps


@triton.jit
def _fast_ce_kernel(x_ptr, t_ptr, loss_ptr, lse_ptr, V, stride_x, ignore_index,
                    BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)  # 64-bit: N * V passes 2^31 at LLM sizes
    x_row = x_ptr + row * stride_x
    cols = tl.arange(0, BLOCK)
    # Start m at -inf: the first chunk always holds a real logit, so m is finite after
    # it and s * exp(m - m_new) = 0 * exp(-inf) = 0 on the first step.
    m = float("-inf")
    s = 0.0
    for start in range(0, V, BLOCK):
        offs = start + cols
        x = tl.load(x_row + offs, mask=offs < V, other=float("-inf")).to(tl.float32)
        m_new = tl.maximum(m, tl.max(x, axis=0))
        s = s * tl.exp(m - m_new) + tl.sum(tl.exp(x - m_new), axis=0)
        m = m_new
    log_s = tl.log(s)
    tl.store(lse_ptr + row, m + log_s)
    t = tl.load(t_ptr + row)
    ignored = t == ignore_index
    x_t = tl.load(x_row + tl.where(ignored, 0, t)).to(tl.float32)
    # lse - x_t as (m - x_t) + log(s): no cancellation of large logits.
    tl.store(loss_ptr + row, tl.where(ignored, 0.0, (m - x_t) + log_s))


def fast_ce_loss(logits: torch.Tensor, targets: torch.Tensor):
    n, v = logits.shape
    if logits.stride(1) != 1:
        logits = logits.contiguous()
    targets = targets.contiguous()
    loss = torch.empty((n,), device=logits.device, dtype=torch.float32)
    lse = torch.empty((n,), device=logits.device, dtype=torch.float32)
    if n == 0:
        return loss, lse
    block = min(triton.next_power_of_2(v), MAX_BLOCK)
    warps = 4 if block <= 1024 else 8
    _fast_ce_kernel[(n,)](logits, targets, loss, lse, v, logits.stride(0), IGNORE_INDEX,
                          BLOCK=block, num_warps=warps)
    return loss, lse

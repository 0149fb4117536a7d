"""Ground truth for cross_entropy2: fused cross-entropy forward and backward (mean over
the rows whose target is not ignored). One program per row makes two passes over its
logits: an online logsumexp (running max m, running sum s of exp(x - m)), then the
gradient softmax(x) - onehot(t) scaled by 1 / n_valid, written in the logits' dtype.
Per-row losses (already divided by n_valid) are summed by a one-program kernel, so the
mean is deterministic."""

import torch
import triton
import triton.language as tl

IGNORE_INDEX = -100
MAX_BLOCK = 4096  # chunk width along the vocabulary
SUM_BLOCK = 1024


@triton.jit
def _ce_fwd_bwd_kernel(x_ptr, t_ptr, nvalid_ptr, loss_ptr, dx_ptr, V, stride_x, stride_dx,
                       ignore_index, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)  # 64-bit: N * V may pass 2^31
    x_row = x_ptr + row * stride_x
    dx_row = dx_ptr + row * stride_dx
    cols = tl.arange(0, BLOCK)
    t = tl.load(t_ptr + row)
    ignored = t == ignore_index
    # 1 / (number of non-ignored rows), 0 for an ignored row: its loss and gradient vanish.
    scale = tl.where(ignored, 0.0, 1.0 / tl.load(nvalid_ptr).to(tl.float32))

    # Pass 1: scalar running max and sum. The first chunk holds a real logit, so m is
    # finite after it and exp(m - m_new) never sees -inf - (-inf).
    m = float("-inf")
    s = 0.0
    for start in range(0, V, BLOCK):
        offs = start + cols
        x = tl.load(x_row + offs, mask=offs < V, other=float("-inf")).to(tl.float32)
        m_new = tl.maximum(m, tl.max(x, axis=0))
        s = s * tl.exp(m - m_new) + tl.sum(tl.exp(x - m_new), axis=0)
        m = m_new
    x_t = tl.load(x_row + tl.where(ignored, 0, t)).to(tl.float32)
    # logsumexp - x_t as (m - x_t) + log(s): exact cancellation when x_t is the max.
    tl.store(loss_ptr + row, ((m - x_t) + tl.log(s)) * scale)

    # Pass 2: d(mean loss)/dx = (exp(x - m) / s - [j == t]) * scale.
    inv_s = 1.0 / s
    for start in range(0, V, BLOCK):
        offs = start + cols
        mask = offs < V
        x = tl.load(x_row + offs, mask=mask, other=0.0).to(tl.float32)
        p = tl.exp(x - m) * inv_s
        g = (p - tl.where(offs == t, 1.0, 0.0)) * scale
        tl.store(dx_row + offs, g.to(dx_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _sum_kernel(v_ptr, out_ptr, N, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], tl.float32)
    for start in range(0, N, BLOCK):
        acc += tl.load(v_ptr + start + offs, mask=start + offs < N, other=0.0)
    tl.store(out_ptr, tl.sum(acc, axis=0))


def cross_entropy2(logits: torch.Tensor, targets: torch.Tensor):
    n, v = logits.shape
    if logits.stride(1) != 1:
        logits = logits.contiguous()
    targets = targets.contiguous()
    dlogits = torch.empty((n, v), device=logits.device, dtype=logits.dtype)
    row_loss = torch.empty((n,), device=logits.device, dtype=torch.float32)
    loss = torch.empty((), device=logits.device, dtype=torch.float32)
    # Count on the device: no host synchronisation.
    n_valid = (targets != IGNORE_INDEX).sum()
    block = min(triton.next_power_of_2(v), MAX_BLOCK)
    warps = 4 if block <= 1024 else 8
    _ce_fwd_bwd_kernel[(n,)](logits, targets, n_valid, row_loss, dlogits, v, logits.stride(0),
                             dlogits.stride(0), IGNORE_INDEX, BLOCK=block, num_warps=warps)
    _sum_kernel[(1,)](row_loss, loss, n, BLOCK=SUM_BLOCK, num_warps=4)
    return loss, dlogits

"""Ground truth for token_softmax_llama: program (b, h) normalises head h's scores over
request b's columns. A slice that fits one block (max_len_in_batch up to 8192 on a GPU)
is loaded once, kept in registers and written once; longer slices take two passes: an
online (running max, rescaled running sum) pass and a pass that writes the
probabilities."""

import os

import torch
import triton
import triton.language as tl

LOG2E = tl.constexpr(1.4426950408889634)  # kernels may read constexpr globals only


@triton.jit
def _ragged_softmax_kernel(x_ptr, y_ptr, start_ptr, len_ptr, stride_xh, stride_yh,
                           BLOCK_N: tl.constexpr, SINGLE: tl.constexpr):
    b = tl.program_id(0)
    h = tl.program_id(1).to(tl.int64)
    n = tl.load(len_ptr + b)
    # 64-bit offsets: H * total_tokens may pass 2^31.
    start = tl.load(start_ptr + b).to(tl.int64)
    x_row = x_ptr + h * stride_xh + start
    y_row = y_ptr + h * stride_yh + start
    offs = tl.arange(0, BLOCK_N)
    if SINGLE:
        mask = offs < n
        # Lanes past the slice read -inf: they never win the max and exp2 gives 0.
        x = tl.load(x_row + offs, mask=mask, other=float("-inf")).to(tl.float32)
        m = tl.max(x, 0)
        e = tl.math.exp2((x - m) * LOG2E)
        y = e / tl.sum(e, 0)
        tl.store(y_row + offs, y.to(y_ptr.dtype.element_ty), mask=mask)
    else:
        # Pass 1: running max m and sum l of exp(x - m), rescaled when m grows. The
        # first block always holds a valid column (n >= 1), so m is finite after it
        # and exp2(m_old - m_new) never meets -inf - -inf.
        m = tl.max(tl.full([BLOCK_N], float("-inf"), tl.float32), 0)
        l = tl.sum(tl.zeros([BLOCK_N], tl.float32), 0)
        for n0 in range(0, n, BLOCK_N):
            cols = n0 + offs
            x = tl.load(x_row + cols, mask=cols < n, other=float("-inf")).to(tl.float32)
            m_new = tl.maximum(m, tl.max(x, 0))
            l = l * tl.math.exp2((m - m_new) * LOG2E) + tl.sum(tl.math.exp2((x - m_new) * LOG2E), 0)
            m = m_new
        inv = 1.0 / l
        # Pass 2: the probabilities, from a second read of the slice.
        for n0 in range(0, n, BLOCK_N):
            cols = n0 + offs
            mask = cols < n
            x = tl.load(x_row + cols, mask=mask, other=float("-inf")).to(tl.float32)
            y = tl.math.exp2((x - m) * LOG2E) * inv
            tl.store(y_row + cols, y.to(y_ptr.dtype.element_ty), mask=mask)


def token_softmax_llama(logits: torch.Tensor, b_start_loc: torch.Tensor, b_seq_len: torch.Tensor,
                        max_len_in_batch: int) -> torch.Tensor:
    logits = logits if logits.stride(-1) == 1 else logits.contiguous()
    heads = logits.shape[0]
    batch = b_seq_len.shape[0]
    out = torch.empty(logits.shape, device=logits.device, dtype=logits.dtype)
    if out.numel() == 0 or batch == 0:
        return out
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    # Largest slice kept whole in registers (8192 float32 over 8 warps: 32 per thread).
    single_max = 64 if interpret else 8192
    if max_len_in_batch <= single_max:
        single, block = True, max(16, triton.next_power_of_2(max_len_in_batch))
    else:
        # Interpreter: 32-column blocks, so the test slices span several and a tail.
        single, block = False, 32 if interpret else 4096
    warps = 1 if block <= 256 else 4 if block <= 2048 else 8
    grid = (batch, heads)
    _ragged_softmax_kernel[grid](logits, out, b_start_loc, b_seq_len,
                                 logits.stride(0), out.stride(0),
                                 BLOCK_N=block, SINGLE=single, num_warps=warps)
    return out

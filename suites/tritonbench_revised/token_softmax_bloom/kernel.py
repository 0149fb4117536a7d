"""Ground truth for token_softmax_bloom: program (b, h) normalises one padded row. Only
the first b_seq_len[b] positions are ever loaded (the padding may hold NaN or inf); the
whole row is written, zeros past the length. A row that fits one block (L up to 8192 on
a GPU) is loaded once and kept in registers; longer rows take an online (running max,
rescaled sum) pass over the valid part and a second pass that writes the row."""

import os

import torch
import triton
import triton.language as tl

LOG2E = tl.constexpr(1.4426950408889634)  # kernels may read constexpr globals only


@triton.jit
def _padded_softmax_kernel(x_ptr, y_ptr, len_ptr, H, L,
                           stride_xb, stride_xh, stride_yb, stride_yh,
                           BLOCK_N: tl.constexpr, SINGLE: tl.constexpr):
    b = tl.program_id(0).to(tl.int64)
    h = tl.program_id(1).to(tl.int64)
    n = tl.load(len_ptr + b)
    # 64-bit row offsets: B * H * L may pass 2^31.
    x_row = x_ptr + b * stride_xb + h * stride_xh
    y_row = y_ptr + b * stride_yb + h * stride_yh
    offs = tl.arange(0, BLOCK_N)
    if SINGLE:
        valid = offs < n
        # Padding is never read: masked lanes take -inf, lose the max and give exp2 = 0.
        x = tl.load(x_row + offs, mask=valid, other=float("-inf")).to(tl.float32)
        m = tl.max(x, 0)
        e = tl.math.exp2((x - m) * LOG2E)
        y = e / tl.sum(e, 0)
        tl.store(y_row + offs, y.to(y_ptr.dtype.element_ty), mask=offs < L)
    else:
        # n >= 1, so the first block has a valid lane and m is finite after it.
        m = tl.max(tl.full([BLOCK_N], float("-inf"), tl.float32), 0)
        s = tl.sum(tl.zeros([BLOCK_N], tl.float32), 0)
        for n0 in range(0, n, BLOCK_N):
            cols = n0 + offs
            x = tl.load(x_row + cols, mask=cols < n, other=float("-inf")).to(tl.float32)
            m_new = tl.maximum(m, tl.max(x, 0))
            s = s * tl.math.exp2((m - m_new) * LOG2E) + tl.sum(tl.math.exp2((x - m_new) * LOG2E), 0)
            m = m_new
        inv = 1.0 / s
        for n0 in range(0, L, BLOCK_N):
            cols = n0 + offs
            valid = cols < n
            x = tl.load(x_row + cols, mask=valid, other=float("-inf")).to(tl.float32)
            y = tl.math.exp2((x - m) * LOG2E) * inv  # 0 on the padding (exp2(-inf))
            tl.store(y_row + cols, y.to(y_ptr.dtype.element_ty), mask=cols < L)


def token_softmax_bloom(logits: torch.Tensor, b_seq_len: torch.Tensor) -> torch.Tensor:
    logits = logits if logits.stride(-1) == 1 else logits.contiguous()
    batch, heads, length = logits.shape
    out = torch.empty((batch, heads, length), device=logits.device, dtype=logits.dtype)
    if out.numel() == 0:
        return out
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    # Longest row kept whole in registers (8192 float32 over 8 warps: 32 per thread).
    single_max = 64 if interpret else 8192
    if length <= single_max:
        single, block = True, max(16, triton.next_power_of_2(length))
    else:
        # Interpreter: 32-position blocks, so the test rows span several and a tail.
        single, block = False, 32 if interpret else 4096
    warps = 1 if block <= 256 else 4 if block <= 2048 else 8
    _padded_softmax_kernel[(batch, heads)](
        logits, out, b_seq_len, heads, length,
        logits.stride(0), logits.stride(1), out.stride(0), out.stride(1),
        BLOCK_N=block, SINGLE=single, num_warps=warps)
    return out

"""Ground truth for lora_expand_gemv: y = base + x @ B^T with only a few tokens (decode),
so the work is a skinny GEMM bound by reading B (HO x R) once. Each program owns
BLOCK_N output columns and all tokens of one BLOCK_T block (every token when T <= 64,
so B is read exactly once): it loads the (BLOCK_N, R) rows of B (one contiguous block of
memory) and the (BLOCK_T, R) tokens, multiplies them with one tl.dot (R <= 128 fits one
K step) into float32, adds the base tile and rounds once."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _lora_expand_gemv_kernel(x_ptr, b_ptr, base_ptr, y_ptr, T, R, HO,
                             stride_xt, stride_xr, stride_bh, stride_br,
                             stride_ct, stride_ch, stride_yt, stride_yh,
                             BLOCK_T: tl.constexpr, BLOCK_R: tl.constexpr, BLOCK_N: tl.constexpr,
                             UPCAST: tl.constexpr):
    pid_n = tl.program_id(0)
    pid_t = tl.program_id(1)
    cols = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    toks = pid_t * BLOCK_T + tl.arange(0, BLOCK_T)
    rk = tl.arange(0, BLOCK_R)
    col_ok = cols < HO
    tok_ok = toks < T
    r_ok = rk < R
    # Padded tokens, columns and rank lanes load 0 and contribute nothing.
    x = tl.load(x_ptr + toks[:, None] * stride_xt + rk[None, :] * stride_xr,
                mask=tok_ok[:, None] & r_ok[None, :], other=0.0)
    # 64-bit column offsets into B: HO * R can pass 2^31 elements.
    b = tl.load(b_ptr + cols[:, None].to(tl.int64) * stride_bh + rk[None, :] * stride_br,
                mask=col_ok[:, None] & r_ok[None, :], other=0.0)
    if UPCAST:
        # The CPU interpreter's tl.dot is wrong on bf16 operands; bf16 -> fp32 is exact.
        x = x.to(tl.float32)
        b = b.to(tl.float32)
    acc = tl.dot(x, tl.trans(b))  # (BLOCK_T, BLOCK_N), float32; fp16/bf16 products exact
    mask = tok_ok[:, None] & col_ok[None, :]
    t64 = toks[:, None].to(tl.int64)
    base = tl.load(base_ptr + t64 * stride_ct + cols[None, :] * stride_ch, mask=mask, other=0.0)
    y = acc + base.to(tl.float32)
    tl.store(y_ptr + t64 * stride_yt + cols[None, :] * stride_yh, y.to(y_ptr.dtype.element_ty), mask=mask)


def lora_expand_gemv(x: torch.Tensor, lora_b: torch.Tensor, base: torch.Tensor) -> torch.Tensor:
    t, r = x.shape
    ho = lora_b.shape[0]
    y = torch.empty_like(base)
    if y.numel() == 0:
        return y
    # tl.dot needs every tile dimension >= 16.
    block_t = min(64, max(16, triton.next_power_of_2(t)))
    block_r = max(16, triton.next_power_of_2(r))
    # At most 8K elements in the B tile and in the float32 accumulator, 256 columns.
    block_n = min(256, 8192 // block_r, 8192 // block_t, max(16, triton.next_power_of_2(ho)))
    # Keep at least ~2 programs per SM of a 132-SM GPU streaming B.
    while block_n > 32 and triton.cdiv(ho, block_n) < 264:
        block_n //= 2
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    grid = (triton.cdiv(ho, block_n), triton.cdiv(t, block_t))
    _lora_expand_gemv_kernel[grid](x, lora_b, base, y, t, r, ho,
                                   x.stride(0), x.stride(1), lora_b.stride(0), lora_b.stride(1),
                                   base.stride(0), base.stride(1), y.stride(0), y.stride(1),
                                   BLOCK_T=block_t, BLOCK_R=block_r, BLOCK_N=block_n,
                                   UPCAST=interpret and x.dtype == torch.bfloat16,
                                   num_warps=4)
    return y

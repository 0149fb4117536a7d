"""Ground truth for bgmv_expand_slice: batched gather matrix-vector "expand" into a
column slice, fused with the copy of the rest of the output so every element of the
result is written once and out is read once. Program (token, column tile): it loads the
tile of out; where the tile overlaps the slice and the token has an adapter, it loads the
(BLOCK_N, R) rows of B[idx] that feed those columns (one contiguous block of memory, as
each B row holds its R values contiguously), multiplies them by the token's float32 x
row broadcast down the columns, reduces over R, and adds the result before the one
rounding to out's dtype. Columns outside the slice add 0, an exact copy. R is at most
64: a GEMV per token, no tl.dot."""

import torch
import triton
import triton.language as tl


@triton.jit
def _bgmv_expand_slice_kernel(x_ptr, b_ptr, idx_ptr, out_ptr, new_ptr, R, HS, HO, slice_offset,
                              stride_xt, stride_xr, stride_bl, stride_bh, stride_br,
                              stride_ot, stride_oh, stride_nt, stride_nh,
                              BLOCK_R: tl.constexpr, BLOCK_N: tl.constexpr):
    # 64-bit token index: T * HO can pass 2^31 elements.
    tok = tl.program_id(0).to(tl.int64)
    col0 = tl.program_id(1) * BLOCK_N
    cols = col0 + tl.arange(0, BLOCK_N)
    col_ok = cols < HO
    base = tl.load(out_ptr + tok * stride_ot + cols * stride_oh, mask=col_ok, other=0.0).to(tl.float32)
    lora = tl.load(idx_ptr + tok)  # int64: lora * stride_bl is 64-bit
    delta = tl.zeros((BLOCK_N,), dtype=tl.float32)
    if (lora >= 0) & (col0 < slice_offset + HS) & (col0 + BLOCK_N > slice_offset):
        offs_r = tl.arange(0, BLOCK_R)
        r_ok = offs_r < R
        rows = cols - slice_offset  # row of B feeding each column (masked outside the slice)
        row_ok = (rows >= 0) & (rows < HS)
        x = tl.load(x_ptr + tok * stride_xt + offs_r * stride_xr, mask=r_ok, other=0.0)
        b = tl.load(b_ptr + lora * stride_bl + rows[:, None] * stride_bh + offs_r[None, :] * stride_br,
                    mask=row_ok[:, None] & r_ok[None, :], other=0.0).to(tl.float32)
        delta = tl.sum(b * x[None, :], axis=1)
    tl.store(new_ptr + tok * stride_nt + cols * stride_nh, (base + delta).to(new_ptr.dtype.element_ty),
             mask=col_ok)


def bgmv_expand_slice(x: torch.Tensor, lora_b: torch.Tensor, lora_indices: torch.Tensor,
                      out: torch.Tensor, slice_offset: int) -> torch.Tensor:
    t, r = x.shape
    _, hs, _ = lora_b.shape
    ho = out.shape[1]
    new = torch.empty_like(out)
    if new.numel() == 0:
        return new
    block_r = triton.next_power_of_2(r)
    # About 8K elements of B per tile (32 per thread at 8 warps); at least 64 columns
    # (128 contiguous bytes of out per tile row), at most 512.
    block_n = min(max(64, 8192 // block_r), 512, triton.next_power_of_2(ho))
    grid = (t, triton.cdiv(ho, block_n))
    _bgmv_expand_slice_kernel[grid](x, lora_b, lora_indices, out, new, r, hs, ho, slice_offset,
                                    x.stride(0), x.stride(1),
                                    lora_b.stride(0), lora_b.stride(1), lora_b.stride(2),
                                    out.stride(0), out.stride(1), new.stride(0), new.stride(1),
                                    BLOCK_R=block_r, BLOCK_N=block_n, num_warps=8)
    return new

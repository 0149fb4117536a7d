"""Ground truth for sgmv_expand_slice: segmented gather matrix multiplication (SGMV)
into a column slice, fused with the copy of the rest of the output so every element of
the result is written once and base is read once.

Grid: (row tiles, column tiles over the full output width). A segment of n rows owns
cdiv(n, BLOCK_M) row tiles, so the total is at most cdiv(T, BLOCK_M) + S; the grid
launches that bound (no host sync to count them) and each program finds its segment
from a prefix sum of per-segment tile counts, computed from seg_start in registers.
Programs past the last tile exit. A tile never crosses a segment boundary, so all its
rows share one adapter: where the column tile overlaps the slice and the segment has an
adapter, the (BLOCK_M, R) x rows times the (BLOCK_N, R) rows of B, transposed, is one
tl.dot (R <= 128 fits one K step) into float32, added to the base tile before the one
rounding. Columns outside the slice add 0, an exact copy."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _sgmv_expand_slice_kernel(x_ptr, b_ptr, seg_ptr, ids_ptr, base_ptr, new_ptr,
                              S, R, HS, HO, slice_offset,
                              stride_xt, stride_xr, stride_bl, stride_bh, stride_br,
                              stride_ct, stride_ch, stride_nt, stride_nh,
                              BLOCK_S: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                              BLOCK_R: tl.constexpr, UPCAST: tl.constexpr):
    tile = tl.program_id(0)
    pid_n = tl.program_id(1)
    # Which segment does row tile `tile` belong to? tiles[s] = cdiv(len_s, BLOCK_M);
    # its segment is the number of segments whose inclusive tile prefix sum is <= tile
    # (empty segments own no tile and are skipped).
    offs_s = tl.arange(0, BLOCK_S)
    s_ok = offs_s < S
    seg_lo = tl.load(seg_ptr + offs_s, mask=s_ok, other=0)
    seg_hi = tl.load(seg_ptr + offs_s + 1, mask=s_ok, other=0)
    tiles = (seg_hi - seg_lo + BLOCK_M - 1) // BLOCK_M
    ends = tl.cumsum(tiles, axis=0)
    seg = tl.sum((ends <= tile).to(tl.int32), axis=0)
    if seg < S:
        here = offs_s == seg
        first_tile = tl.sum(tl.where(here, ends - tiles, 0), axis=0)
        row0 = tl.sum(tl.where(here, seg_lo, 0), axis=0) + (tile - first_tile) * BLOCK_M
        row_end = tl.sum(tl.where(here, seg_hi, 0), axis=0)
        lora = tl.load(ids_ptr + seg)

        rows = row0 + tl.arange(0, BLOCK_M)
        cols = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
        row_ok = rows < row_end
        col_ok = cols < HO
        mask = row_ok[:, None] & col_ok[None, :]
        # 64-bit row offsets: T * HO can pass 2^31 elements.
        r64 = rows[:, None].to(tl.int64)
        acc = tl.load(base_ptr + r64 * stride_ct + cols[None, :] * stride_ch, mask=mask,
                      other=0.0).to(tl.float32)
        col0 = pid_n * BLOCK_N
        if (lora >= 0) & (col0 < slice_offset + HS) & (col0 + BLOCK_N > slice_offset):
            rk = tl.arange(0, BLOCK_R)
            r_ok = rk < R
            brow = cols - slice_offset  # row of B feeding each column (masked outside the slice)
            brow_ok = (brow >= 0) & (brow < HS)
            # Padded rows, rank lanes and columns outside the slice load 0: they add 0.
            x = tl.load(x_ptr + r64 * stride_xt + rk[None, :] * stride_xr,
                        mask=row_ok[:, None] & r_ok[None, :], other=0.0)
            b = tl.load(b_ptr + lora.to(tl.int64) * stride_bl + brow[:, None] * stride_bh
                        + rk[None, :] * stride_br, mask=brow_ok[:, None] & r_ok[None, :], other=0.0)
            if UPCAST:
                # The CPU interpreter's tl.dot is wrong on bf16 operands; bf16 -> fp32 is exact.
                x = x.to(tl.float32)
                b = b.to(tl.float32)
            acc = tl.dot(x, tl.trans(b), acc)
        tl.store(new_ptr + r64 * stride_nt + cols[None, :] * stride_nh,
                 acc.to(new_ptr.dtype.element_ty), mask=mask)


def sgmv_expand_slice(x: torch.Tensor, lora_b: torch.Tensor, seg_start: torch.Tensor,
                      lora_ids: torch.Tensor, base: torch.Tensor, slice_offset: int) -> torch.Tensor:
    t, r = x.shape
    _, hs, _ = lora_b.shape
    ho = base.shape[1]
    s = lora_ids.shape[0]
    new = torch.empty_like(base)
    if new.numel() == 0:
        return new
    block_m, block_n = 64, 128
    # tl.dot needs K >= 16; R <= 128 is one K step.
    block_r = max(16, triton.next_power_of_2(r))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    grid = (triton.cdiv(t, block_m) + s, triton.cdiv(ho, block_n))
    _sgmv_expand_slice_kernel[grid](x, lora_b, seg_start, lora_ids, base, new,
                                    s, r, hs, ho, slice_offset,
                                    x.stride(0), x.stride(1),
                                    lora_b.stride(0), lora_b.stride(1), lora_b.stride(2),
                                    base.stride(0), base.stride(1), new.stride(0), new.stride(1),
                                    BLOCK_S=triton.next_power_of_2(s), BLOCK_M=block_m,
                                    BLOCK_N=block_n, BLOCK_R=block_r,
                                    UPCAST=interpret and x.dtype == torch.bfloat16,
                                    num_warps=8 if block_r >= 64 else 4)
    return new

"""Ground truth for bgmv_shrink_kernel: batched gather matrix-vector products (BGMV).
One program per token: it reads the token's adapter id, then streams that adapter's
(R, H) down-projection in (BLOCK_R, BLOCK_H) slabs (each slab row is BLOCK_H contiguous
elements of one A row, so loads coalesce along H) against the matching chunk of the
token's x row. Partial products stay in a float32 (BLOCK_R, BLOCK_H) accumulator that is
reduced over H once at the end. Tokens sharing an adapter re-read it from L2; HBM sees
x once and each used adapter about once. No tl.dot: each token is one GEMV."""

import torch
import triton
import triton.language as tl


@triton.jit
def _bgmv_shrink_kernel(x_ptr, a_ptr, idx_ptr, y_ptr, H, R, scale,
                        stride_xt, stride_xh, stride_al, stride_ar, stride_ah, stride_yt, stride_yr,
                        BLOCK_R: tl.constexpr, BLOCK_H: tl.constexpr):
    # 64-bit token index: T * H can pass 2^31 elements.
    tok = tl.program_id(0).to(tl.int64)
    lora = tl.load(idx_ptr + tok)  # int64, so lora * stride_al is 64-bit too
    offs_r = tl.arange(0, BLOCK_R)
    offs_h = tl.arange(0, BLOCK_H)
    r_ok = offs_r < R
    acc = tl.zeros((BLOCK_R, BLOCK_H), dtype=tl.float32)
    if lora >= 0:
        x_row = x_ptr + tok * stride_xt
        a_rows = a_ptr + lora * stride_al + offs_r[:, None] * stride_ar
        for h0 in range(0, H, BLOCK_H):
            hs = h0 + offs_h
            h_ok = hs < H
            # The H tail (and padded ranks) load 0 and add nothing. Loads are upcast
            # first: fp16 / bf16 products are exact in float32.
            x = tl.load(x_row + hs * stride_xh, mask=h_ok, other=0.0).to(tl.float32)
            a = tl.load(a_rows + hs[None, :] * stride_ah, mask=r_ok[:, None] & h_ok[None, :],
                        other=0.0).to(tl.float32)
            acc += a * x[None, :]
    # Tokens without an adapter (id -1) store the zero accumulator.
    y = tl.sum(acc, axis=1) * scale
    tl.store(y_ptr + tok * stride_yt + offs_r * stride_yr, y, mask=r_ok)


def bgmv_shrink_kernel(x: torch.Tensor, lora_a: torch.Tensor, lora_indices: torch.Tensor,
                       scale: float) -> torch.Tensor:
    t, h = x.shape
    _, r, _ = lora_a.shape
    y = torch.empty((t, r), device=x.device, dtype=torch.float32)
    if t == 0:
        return y
    block_r = triton.next_power_of_2(r)
    # About 8K elements of A per iteration (32 per thread at 8 warps): enough loads in
    # flight, and BLOCK_H >= 128 keeps each row segment at least 256 contiguous bytes.
    block_h = min(max(128, 8192 // block_r), triton.next_power_of_2(h))
    _bgmv_shrink_kernel[(t,)](x, lora_a, lora_indices, y, h, r, float(scale),
                              x.stride(0), x.stride(1),
                              lora_a.stride(0), lora_a.stride(1), lora_a.stride(2),
                              y.stride(0), y.stride(1),
                              BLOCK_R=block_r, BLOCK_H=block_h, num_warps=8)
    return y

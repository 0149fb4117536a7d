"""Ground truth for var_len_copy: program (b, c) copies rows c * BLOCK_T ... of run b;
rows are contiguous in both buffers, so each is a straight row copy, BLOCK_W columns at
a time."""

import torch
import triton
import triton.language as tl


@triton.jit
def _var_len_copy_kernel(src_ptr, dst_ptr, src_start_ptr, dst_start_ptr, len_ptr, W,
                         stride_s, stride_d, BLOCK_T: tl.constexpr, BLOCK_W: tl.constexpr):
    run = tl.program_id(0)
    n = tl.load(len_ptr + run)
    t = tl.program_id(1) * BLOCK_T + tl.arange(0, BLOCK_T)
    ok = t < n
    # 64-bit row offsets: rows * W may pass 2^31 elements.
    s_row = (tl.load(src_start_ptr + run) + t).to(tl.int64)
    d_row = (tl.load(dst_start_ptr + run) + t).to(tl.int64)
    s = src_ptr + s_row[:, None] * stride_s
    d = dst_ptr + d_row[:, None] * stride_d
    cols = tl.arange(0, BLOCK_W)
    for c0 in range(0, W, BLOCK_W):
        c = (c0 + cols)[None, :]
        mask = ok[:, None] & (c < W)
        tl.store(d + c, tl.load(s + c, mask=mask), mask=mask)


def var_len_copy(src, dst, src_start, dst_start, lengths, max_len):
    b = lengths.shape[0]
    w = src.shape[1]
    if b == 0 or max_len == 0 or w == 0:
        return
    block_w = min(1024, triton.next_power_of_2(w))
    block_t = max(1, 4096 // block_w)
    grid = (b, triton.cdiv(max_len, block_t))
    _var_len_copy_kernel[grid](src, dst, src_start, dst_start, lengths, w,
                               src.stride(0), dst.stride(0),
                               BLOCK_T=block_t, BLOCK_W=block_w, num_warps=4)

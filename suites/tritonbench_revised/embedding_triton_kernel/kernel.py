"""Ground truth for embedding_triton_kernel: each program fills a BLOCK_T x BLOCK_D tile
of the output, gathering the owned rows of the weight shard (contiguous along D) and
writing zeros for tokens outside the shard without reading the weight."""

import torch
import triton
import triton.language as tl


@triton.jit
def _embedding_kernel(ids_ptr, w_ptr, out_ptr, T, D, vocab_start, vocab_end,
                      stride_w, stride_o, BLOCK_T: tl.constexpr, BLOCK_D: tl.constexpr):
    toks = tl.program_id(0) * BLOCK_T + tl.arange(0, BLOCK_T)
    cols = tl.program_id(1) * BLOCK_D + tl.arange(0, BLOCK_D)
    tok_ok = toks < T
    col_ok = cols < D
    ids = tl.load(ids_ptr + toks, mask=tok_ok, other=0).to(tl.int64)
    owned = (ids >= vocab_start) & (ids < vocab_end)
    rows = tl.where(owned, ids - vocab_start, 0)  # 64-bit: vocab * D may pass 2^31
    vals = tl.load(w_ptr + rows[:, None] * stride_w + cols[None, :],
                   mask=(owned & tok_ok)[:, None] & col_ok[None, :], other=0.0)
    tl.store(out_ptr + toks.to(tl.int64)[:, None] * stride_o + cols[None, :], vals,
             mask=tok_ok[:, None] & col_ok[None, :])


def embedding_triton_kernel(ids, weight, vocab_start, vocab_end):
    t = ids.numel()
    d = weight.shape[1]
    out = torch.empty((t, d), device=weight.device, dtype=weight.dtype)
    if t == 0:
        return out
    ids = ids.reshape(-1)
    block_d = min(1024, triton.next_power_of_2(d))
    block_t = max(1, 4096 // block_d)
    grid = (triton.cdiv(t, block_t), triton.cdiv(d, block_d))
    _embedding_kernel[grid](ids, weight, out, t, d, vocab_start, vocab_end,
                            weight.stride(0), out.stride(0),
                            BLOCK_T=block_t, BLOCK_D=block_d, num_warps=4)
    return out

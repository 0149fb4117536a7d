"""Ground truth for flash_decode2_llama: the reduction stage of split-K flash decoding.
Program (b, h) loads the log-sum-exps of request b's valid splits, takes their maximum m
and the weights w_s = exp(lse_s - m) (so no exponent overflows, whatever the lse scale),
then streams the valid splits' partial outputs in SPLIT_CHUNK x BLOCK_D tiles and writes
sum_s w_s o_s / sum_s w_s. Splits past the request's valid count are never loaded (they
may hold NaN)."""

import os

import torch
import triton
import triton.language as tl

@triton.jit
def _split_reduce_kernel(o_ptr, lse_ptr, len_ptr, out_ptr, block_seq, NSPLIT,
                         stride_ob, stride_oh, stride_os, stride_lb, stride_lh,
                         stride_outb, stride_outh, HEAD_DIM: tl.constexpr,
                         BLOCK_S: tl.constexpr, SPLIT_CHUNK: tl.constexpr,
                         BLOCK_D: tl.constexpr):
    b = tl.program_id(0)
    h = tl.program_id(1)
    seq_len = tl.load(len_ptr + b)
    n_valid = tl.minimum(tl.cdiv(seq_len, block_seq), NSPLIT)
    lse_base = lse_ptr + b.to(tl.int64) * stride_lb + h * stride_lh
    o_base = o_ptr + b.to(tl.int64) * stride_ob + h.to(tl.int64) * stride_oh

    # Pass 1 over the (small) lse row: the maximum and the normaliser. lse - m is taken
    # before any scaling, so large lse values (|lse| ~ 100) lose no precision.
    offs_s = tl.arange(0, BLOCK_S)
    lse = tl.load(lse_base + offs_s, mask=offs_s < n_valid, other=float("-inf"))
    m = tl.max(lse, 0)  # finite: every request has at least one valid split
    denom = tl.sum(tl.exp(lse - m), 0)

    # Pass 2: weighted sum of the partial outputs, SPLIT_CHUNK splits at a time.
    offs_c = tl.arange(0, SPLIT_CHUNK)
    offs_d = tl.arange(0, BLOCK_D)
    d_ok = offs_d < HEAD_DIM
    acc = tl.zeros([BLOCK_D], dtype=tl.float32)
    for s0 in range(0, n_valid, SPLIT_CHUNK):
        s = s0 + offs_c
        s_ok = s < n_valid
        w = tl.exp(tl.load(lse_base + s, mask=s_ok, other=float("-inf")) - m)
        o = tl.load(o_base + s[:, None] * stride_os + offs_d[None, :],
                    mask=s_ok[:, None] & d_ok[None, :], other=0.0)
        acc += tl.sum(w[:, None] * o, 0)
    out = acc / denom
    tl.store(out_ptr + b.to(tl.int64) * stride_outb + h * stride_outh + offs_d,
             out.to(out_ptr.dtype.element_ty), mask=d_ok)


def flash_decode2_llama(mid_o: torch.Tensor, mid_lse: torch.Tensor, b_seq_len: torch.Tensor,
                        block_seq: int, out_dtype: torch.dtype) -> torch.Tensor:
    mid_o, mid_lse = mid_o.contiguous(), mid_lse.contiguous()
    batch, heads, nsplit, head_dim = mid_o.shape
    out = torch.empty((batch, heads, head_dim), device=mid_o.device, dtype=out_dtype)
    if out.numel() == 0:
        return out
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    block_s = triton.next_power_of_2(nsplit)
    block_d = triton.next_power_of_2(head_dim)
    # About 4K float32 partials in flight per program (16 KB of loads in one go); in the
    # interpreter 4-split chunks, so the tests cross several chunks and a tail.
    chunk = 4 if interpret else max(1, min(block_s, 4096 // block_d))
    _split_reduce_kernel[(batch, heads)](
        mid_o, mid_lse, b_seq_len, out, block_seq, nsplit,
        mid_o.stride(0), mid_o.stride(1), mid_o.stride(2), mid_lse.stride(0), mid_lse.stride(1),
        out.stride(0), out.stride(1), HEAD_DIM=head_dim,
        BLOCK_S=block_s, SPLIT_CHUNK=chunk, BLOCK_D=block_d, num_warps=4)
    return out

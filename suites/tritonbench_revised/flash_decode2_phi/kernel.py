"""Ground truth for flash_decode2_phi: the reduction stage of split-K flash decoding
from unnormalised per-split partials (running max, exp-sum and accumulator). Program
(b, h) loads the maxima of request b's valid splits, takes their maximum M and the
rescale factors r_s = exp(m_s - M), then streams the valid splits' accumulators in
SPLIT_CHUNK x BLOCK_D tiles and writes sum_s r_s acc_s / sum_s r_s sum_s. A head_dim
off a power of two (80, 96) is padded to BLOCK_D with masked lanes; splits past the
valid count are never loaded (they may hold NaN)."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _merge_partials_kernel(acc_ptr, max_ptr, sum_ptr, len_ptr, out_ptr, block_seq, NSPLIT,
                           stride_ab, stride_ah, stride_as, stride_mb, stride_mh,
                           stride_sb, stride_sh, stride_ob, stride_oh,
                           HEAD_DIM: tl.constexpr, BLOCK_S: tl.constexpr,
                           SPLIT_CHUNK: tl.constexpr, BLOCK_D: tl.constexpr):
    b = tl.program_id(0)
    h = tl.program_id(1)
    seq_len = tl.load(len_ptr + b)
    n_valid = tl.minimum(tl.cdiv(seq_len, block_seq), NSPLIT)
    max_base = max_ptr + b.to(tl.int64) * stride_mb + h * stride_mh
    sum_base = sum_ptr + b.to(tl.int64) * stride_sb + h * stride_sh
    acc_base = acc_ptr + b.to(tl.int64) * stride_ab + h.to(tl.int64) * stride_ah

    # Pass 1 over the split statistics: global max and the rescaled denominator.
    offs_s = tl.arange(0, BLOCK_S)
    s_ok = offs_s < n_valid
    m_s = tl.load(max_base + offs_s, mask=s_ok, other=float("-inf"))
    m = tl.max(m_s, 0)  # finite: every request has at least one valid split
    l_s = tl.load(sum_base + offs_s, mask=s_ok, other=0.0)
    denom = tl.sum(tl.exp(m_s - m) * l_s, 0)

    # Pass 2: rescaled sum of the accumulators, SPLIT_CHUNK splits at a time.
    offs_c = tl.arange(0, SPLIT_CHUNK)
    offs_d = tl.arange(0, BLOCK_D)
    d_ok = offs_d < HEAD_DIM
    out = tl.zeros([BLOCK_D], dtype=tl.float32)
    for s0 in range(0, n_valid, SPLIT_CHUNK):
        s = s0 + offs_c
        ok = s < n_valid
        r = tl.exp(tl.load(max_base + s, mask=ok, other=float("-inf")) - m)
        a = tl.load(acc_base + s[:, None] * stride_as + offs_d[None, :],
                    mask=ok[:, None] & d_ok[None, :], other=0.0)
        out += tl.sum(r[:, None] * a, 0)
    out = out / denom
    tl.store(out_ptr + b.to(tl.int64) * stride_ob + h * stride_oh + offs_d,
             out.to(out_ptr.dtype.element_ty), mask=d_ok)


def flash_decode2_phi(mid_acc: torch.Tensor, mid_max: torch.Tensor, mid_sum: torch.Tensor,
                      b_seq_len: torch.Tensor, block_seq: int,
                      out_dtype: torch.dtype) -> torch.Tensor:
    mid_acc, mid_max, mid_sum = mid_acc.contiguous(), mid_max.contiguous(), mid_sum.contiguous()
    batch, heads, nsplit, head_dim = mid_acc.shape
    out = torch.empty((batch, heads, head_dim), device=mid_acc.device, dtype=out_dtype)
    if out.numel() == 0:
        return out
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    block_s = triton.next_power_of_2(nsplit)
    block_d = triton.next_power_of_2(head_dim)
    # About 4K float32 lanes per tile (80 or 96 of every 128 loaded); in the interpreter
    # 4-split chunks, so the tests cross several chunks and a tail.
    chunk = 4 if interpret else max(1, min(block_s, 4096 // block_d))
    _merge_partials_kernel[(batch, heads)](
        mid_acc, mid_max, mid_sum, b_seq_len, out, block_seq, nsplit,
        mid_acc.stride(0), mid_acc.stride(1), mid_acc.stride(2),
        mid_max.stride(0), mid_max.stride(1), mid_sum.stride(0), mid_sum.stride(1),
        out.stride(0), out.stride(1), HEAD_DIM=head_dim,
        BLOCK_S=block_s, SPLIT_CHUNK=chunk, BLOCK_D=block_d, num_warps=4)
    return out

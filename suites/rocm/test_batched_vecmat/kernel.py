"""Ground truth for test_batched_vecmat: out[b, n] = sum_k x[b, k] * W[b, n, k], one
vector times one matrix per batch entry (e.g. a decode step's query against each
head's key cache). With one row per product a matrix unit has nothing to reuse, so
the kernel multiplies in registers and reduces with tl.sum: each program takes one
batch entry and BLOCK_N rows of W[b], streams them along K in BLOCK_K-wide chunks
(contiguous, so loads coalesce), and keeps a float32 partial sum per lane. Bound by
reading W once."""

import torch
import triton
import triton.language as tl


@triton.jit
def _batched_vecmat_kernel(x_ptr, w_ptr, out_ptr, N, K,
                           stride_xb, stride_xk, stride_wb, stride_wn, stride_wk,
                           stride_ob, stride_on,
                           BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):
    pid_b = tl.program_id(0).to(tl.int64)  # B * N * K can pass 2^31 elements
    pid_n = tl.program_id(1)
    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    n_ok = offs_n < N
    x_row = x_ptr + pid_b * stride_xb
    w_rows = w_ptr + pid_b * stride_wb + offs_n[:, None].to(tl.int64) * stride_wn

    # Lane-wise partial sums; one cross-lane reduction at the end.
    acc = tl.zeros((BLOCK_N, BLOCK_K), dtype=tl.float32)
    for k0 in range(0, K, BLOCK_K):
        ks = k0 + offs_k
        k_ok = ks < K
        x = tl.load(x_row + ks * stride_xk, mask=k_ok, other=0.0).to(tl.float32)
        w = tl.load(w_rows + ks[None, :] * stride_wk, mask=n_ok[:, None] & k_ok[None, :],
                    other=0.0).to(tl.float32)
        acc += w * x[None, :]
    out = tl.sum(acc, axis=1)
    tl.store(out_ptr + pid_b * stride_ob + offs_n * stride_on, out.to(out_ptr.dtype.element_ty),
             mask=n_ok)


def test_batched_vecmat(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    B, N, K = w.shape
    out = torch.empty((B, N), device=w.device, dtype=w.dtype)
    if out.numel() == 0:
        return out
    # ~4K elements of W per chunk: up to 128-wide K chunks (a head dim in one pass),
    # the rest of the chunk in rows.
    block_k = min(128, triton.next_power_of_2(K))
    block_n = max(1, 4096 // block_k)
    block_n = min(block_n, max(16, triton.next_power_of_2(N)))
    grid = (B, triton.cdiv(N, block_n))
    _batched_vecmat_kernel[grid](
        x, w, out, N, K,
        x.stride(0), x.stride(1), w.stride(0), w.stride(1), w.stride(2),
        out.stride(0), out.stride(1),
        BLOCK_N=block_n, BLOCK_K=block_k, num_warps=4)
    return out

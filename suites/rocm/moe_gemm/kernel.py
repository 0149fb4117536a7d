"""Ground truth for moe_gemm: the expert GEMM of a mixture-of-experts layer. Every
token t was routed to top_k experts topk_ids[t, :] with gate weights
topk_weights[t, :]; for each (t, j) the output row is
    out[t, j, :] = topk_weights[t, j] * (a[t, :] @ w[topk_ids[t, j]]^T).

Two steps:
  1. Alignment (PyTorch ops on the GPU, no host synchronization): the T * top_k
     (token, slot) pairs are sorted by expert and each expert's list is padded to a
     multiple of BLOCK_M with a sentinel id, so every BLOCK_M-row block belongs to
     exactly one expert. expert_ids[b] names block b's expert; the padded total is
     passed as a device scalar.
  2. One grouped GEMM launch: a program takes one row block and one BLOCK_N column
     tile, gathers its tokens' rows of `a`, streams its expert's weight tile along K
     through tl.dot (float32 accumulation), scales each row by its gate weight and
     scatters the rows to their (token, slot) places. Programs past the padded total
     exit at once; sentinel rows load zeros and are not stored."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _moe_gemm_kernel(a_ptr, w_ptr, out_ptr, topk_w_ptr, sorted_ids_ptr, expert_ids_ptr,
                     total_padded_ptr, N, K, num_pairs, TOP_K: tl.constexpr,
                     stride_am, stride_ak, stride_we, stride_wn, stride_wk,
                     stride_om, stride_on,
                     BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                     GROUP_M: tl.constexpr, UPCAST: tl.constexpr):
    pid = tl.program_id(0)
    num_pid_m = tl.cdiv(tl.load(total_padded_ptr), BLOCK_M)
    num_pid_n = tl.cdiv(N, BLOCK_N)
    # Grouped order over the row blocks actually in use (the grid is an upper bound).
    per_group = GROUP_M * num_pid_n
    first_m = (pid // per_group) * GROUP_M
    if first_m >= num_pid_m:
        return
    group_rows = tl.minimum(num_pid_m - first_m, GROUP_M)
    pid_m = first_m + (pid % per_group) % group_rows
    pid_n = (pid % per_group) // group_rows

    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    pair = tl.load(sorted_ids_ptr + offs_m)          # (token, slot) pair = t * TOP_K + j
    row_ok = pair < num_pairs                         # padding holds num_pairs
    token = pair // TOP_K
    expert = tl.load(expert_ids_ptr + pid_m).to(tl.int64)

    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    n_ok = offs_n < N
    a_ptrs = a_ptr + token[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak
    # The expert's weight is (N, K), row = output channel; read it as a (K, N) tile.
    w_ptrs = (w_ptr + expert * stride_we + offs_n[None, :].to(tl.int64) * stride_wn
              + offs_k[:, None] * stride_wk)

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for kk in range(0, tl.cdiv(K, BLOCK_K)):
        k_ok = offs_k < K - kk * BLOCK_K
        a = tl.load(a_ptrs, mask=row_ok[:, None] & k_ok[None, :], other=0.0)
        w = tl.load(w_ptrs, mask=k_ok[:, None] & n_ok[None, :], other=0.0)
        if UPCAST:
            # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
            a = a.to(tl.float32)
            w = w.to(tl.float32)
        acc = tl.dot(a, w, acc)
        a_ptrs += BLOCK_K * stride_ak
        w_ptrs += BLOCK_K * stride_wk

    # Gate weight applied in float32 before the one rounding to the output dtype.
    gate = tl.load(topk_w_ptr + pair, mask=row_ok, other=0.0)
    acc = acc * gate[:, None]
    out_ptrs = out_ptr + pair[:, None].to(tl.int64) * stride_om + offs_n[None, :] * stride_on
    tl.store(out_ptrs, acc.to(out_ptr.dtype.element_ty), mask=row_ok[:, None] & n_ok[None, :])


def _align_by_expert(topk_ids, num_experts, block_m):
    """Sorted (token, slot) ids padded per expert to multiples of block_m, the expert
    of each block, and the padded total (a 1-element device tensor)."""
    flat = topk_ids.reshape(-1).to(torch.int64)
    num_pairs = flat.numel()
    dev = flat.device
    counts = torch.bincount(flat, minlength=num_experts)
    padded = (counts + block_m - 1) // block_m * block_m
    padded_end = torch.cumsum(padded, 0)
    padded_start = padded_end - padded
    start = torch.cumsum(counts, 0) - counts
    order = torch.sort(flat, stable=True).indices            # pairs grouped by expert
    e_sorted = flat[order]
    rank = torch.arange(num_pairs, device=dev) - start[e_sorted]
    # Upper bound on the padded length, so no value has to come back to the host.
    max_len = num_pairs + num_experts * (block_m - 1)
    sorted_ids = torch.full((max_len,), num_pairs, dtype=torch.int32, device=dev)
    sorted_ids[padded_start[e_sorted] + rank] = order.to(torch.int32)
    block_start = torch.arange(0, max_len, block_m, device=dev)
    expert_ids = torch.searchsorted(padded_end, block_start, right=True)
    expert_ids = expert_ids.clamp_(max=num_experts - 1).to(torch.int32)
    total = padded_end[-1:].to(torch.int32)
    return sorted_ids, expert_ids, total, max_len


def moe_gemm(a: torch.Tensor, w: torch.Tensor, topk_ids: torch.Tensor,
             topk_weights: torch.Tensor) -> torch.Tensor:
    T, K = a.shape
    E, N, _ = w.shape
    top_k = topk_ids.shape[1]
    out = torch.empty((T, top_k, N), device=a.device, dtype=a.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        bm, bn, bk, warps, stages = 16, 32, 32, 4, 1
    elif torch.version.hip:
        bm, bn, bk, warps, stages = 64, 128, 64, 4, 2
    else:
        bm, bn, bk, warps, stages = 64, 128, 64, 4, 4
    sorted_ids, expert_ids, total, max_len = _align_by_expert(topk_ids, E, bm)
    if interpret:
        max_len = int(total.item())  # the CPU needs no sync-free bound: skip idle programs
    grid = (triton.cdiv(max_len, bm) * triton.cdiv(N, bn),)
    _moe_gemm_kernel[grid](
        a, w, out, topk_weights.reshape(-1), sorted_ids, expert_ids, total,
        N, K, T * top_k, top_k,
        a.stride(0), a.stride(1), w.stride(0), w.stride(1), w.stride(2),
        out.stride(1), out.stride(2),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
        UPCAST=interpret and a.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return out

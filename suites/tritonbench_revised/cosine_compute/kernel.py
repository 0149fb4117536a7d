"""Ground truth for cosine_compute: row-wise cosine similarity of two (M, N) tensors.
Each program owns BLOCK_M rows and streams them in BLOCK_N-wide chunks, accumulating
<a, b>, ||a||^2 and ||b||^2 in float32 registers, then reduces once per row."""

import torch
import triton
import triton.language as tl

TILE = 2048  # elements per chunk of one program (BLOCK_M * BLOCK_N)


@triton.jit
def _cosine_rows_kernel(a_ptr, b_ptr, out_ptr, M, N, stride_a, stride_b, eps,
                        BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    row_mask = rows < M
    r64 = rows.to(tl.int64)  # 64-bit: M * N may pass 2^31
    cols = tl.arange(0, BLOCK_N)
    a_rows = a_ptr + r64[:, None] * stride_a
    b_rows = b_ptr + r64[:, None] * stride_b
    # Per-lane partial sums; padding lanes load 0 and add nothing.
    dot = tl.zeros([BLOCK_M, BLOCK_N], tl.float32)
    aa = tl.zeros([BLOCK_M, BLOCK_N], tl.float32)
    bb = tl.zeros([BLOCK_M, BLOCK_N], tl.float32)
    for start in range(0, N, BLOCK_N):
        c = start + cols
        mask = row_mask[:, None] & (c[None, :] < N)
        a = tl.load(a_rows + c[None, :], mask=mask, other=0.0).to(tl.float32)
        b = tl.load(b_rows + c[None, :], mask=mask, other=0.0).to(tl.float32)
        dot += a * b
        aa += a * a
        bb += b * b
    # Each norm is clamped at eps separately (torch's rule); a zero row gives 0 / eps^k = 0.
    na = tl.maximum(tl.sqrt(tl.sum(aa, axis=1)), eps)
    nb = tl.maximum(tl.sqrt(tl.sum(bb, axis=1)), eps)
    out = tl.sum(dot, axis=1) / (na * nb)
    tl.store(out_ptr + rows, out.to(out_ptr.dtype.element_ty), mask=row_mask)


def cosine_compute(a: torch.Tensor, b: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    m, n = a.shape
    if a.stride(1) != 1:
        a = a.contiguous()
    if b.stride(1) != 1:
        b = b.contiguous()
    out = torch.empty((m,), device=a.device, dtype=a.dtype)
    if m == 0:
        return out
    block_n = min(triton.next_power_of_2(max(n, 1)), TILE)
    # Short rows: several rows per program so each chunk still has ~TILE elements.
    block_m = max(1, min(TILE // block_n, triton.next_power_of_2(m)))
    _cosine_rows_kernel[(triton.cdiv(m, block_m),)](
        a, b, out, m, n, a.stride(0), b.stride(0), float(eps),
        BLOCK_M=block_m, BLOCK_N=block_n, num_warps=4)
    return out

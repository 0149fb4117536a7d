"""Ground truth for layer_norm_welfold: one program per (wide) row. The statistics take
a single pass over the row: each of the BLOCK lanes keeps a Welford running (count,
mean, M2) over the column tiles it sees, and the lanes are then merged in closed form
(Chan et al.'s parallel combination). A second pass writes the normalised output.
Welford never forms E[x^2] - E[x]^2, so rows with a large common offset keep an
accurate variance."""

import torch
import triton
import triton.language as tl

TILE = 4096  # columns per step: 16 fp32 values per thread at 8 warps


@triton.jit
def _layer_norm_welford_kernel(x_ptr, w_ptr, b_ptr, out_ptr, N, stride_x, stride_o, eps,
                               BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)  # 64-bit: M * N may pass 2^31
    x_row = x_ptr + row * stride_x
    o_row = out_ptr + row * stride_o
    cols = tl.arange(0, BLOCK)

    # Pass 1, full tiles: every lane has seen t values before tile t, so the Welford
    # weight 1 / (t + 1) is one scalar per tile (no per-element division, no masks).
    mean = tl.zeros([BLOCK], tl.float32)
    m2 = tl.zeros([BLOCK], tl.float32)
    n_full = N // BLOCK
    for t in range(0, n_full):
        x = tl.load(x_row + t * BLOCK + cols).to(tl.float32)
        delta = x - mean
        mean += delta * (1.0 / (t + 1))
        m2 += delta * (x - mean)
    # Tail tile: only lanes below N take one more value.
    offs = n_full * BLOCK + cols
    tail = offs < N
    x = tl.load(x_row + offs, mask=tail, other=0.0).to(tl.float32)
    cnt = tl.where(tail, n_full + 1, n_full).to(tl.float32)
    delta = tl.where(tail, x - mean, 0.0)
    mean += delta / tl.maximum(cnt, 1.0)
    m2 += delta * tl.where(tail, x - mean, 0.0)

    # Merge the lanes: mean = sum(n_l * mean_l) / N, M2 = sum(M2_l) + sum(n_l * (mean_l - mean)^2).
    row_mean = tl.sum(cnt * mean, axis=0) / N
    dm = mean - row_mean
    var = (tl.sum(m2, axis=0) + tl.sum(cnt * dm * dm, axis=0)) / N
    rstd = 1.0 / tl.sqrt(var + eps)

    # Pass 2: normalise, scale and shift.
    for start in range(0, N, BLOCK):
        offs = start + cols
        mask = offs < N
        x = tl.load(x_row + offs, mask=mask, other=0.0).to(tl.float32)
        w = tl.load(w_ptr + offs, mask=mask, other=0.0).to(tl.float32)
        b = tl.load(b_ptr + offs, mask=mask, other=0.0).to(tl.float32)
        y = (x - row_mean) * rstd * w + b
        tl.store(o_row + offs, y.to(out_ptr.dtype.element_ty), mask=mask)


def layer_norm_welfold(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
                       eps: float) -> torch.Tensor:
    m, n = x.shape
    out = torch.empty((m, n), device=x.device, dtype=x.dtype)
    if m == 0:
        return out
    block = min(TILE, triton.next_power_of_2(n))
    warps = 8 if block >= 2048 else 4
    _layer_norm_welford_kernel[(m,)](x, weight, bias, out, n, x.stride(0), out.stride(0), eps,
                                     BLOCK=block, num_warps=warps)
    return out

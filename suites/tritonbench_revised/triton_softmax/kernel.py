"""Ground truth for triton_softmax: temperature softmax softmax(x / T) of 16-bit logits,
written as float32 probabilities. Rows up to MAX_TILE wide are loaded once (short rows
several to a program); vocabulary-wide rows get one program each and are read twice: a
pass keeping per-lane running maxima and rescaled sums, then the output pass."""

import torch
import triton
import triton.language as tl

MAX_TILE = 16384   # widest row held whole in registers
WIDE_TILE = 4096   # chunk width when streaming a wider row
PACK = 4096        # elements per program when packing short rows


@triton.jit
def _temp_softmax_rows_kernel(x_ptr, p_ptr, inv_t, M, N,
                              BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_N)
    mask = (rows[:, None] < M) & (cols[None, :] < N)
    offs = rows.to(tl.int64)[:, None] * N + cols[None, :]  # 64-bit: M * N may pass 2^31
    # Padding lanes read -inf (never the max, exp gives 0); padding rows give NaN but
    # are never stored. T > 0, so scaling keeps -inf and the max's position.
    z = tl.load(x_ptr + offs, mask=mask, other=float("-inf")).to(tl.float32) * inv_t
    e = tl.exp(z - tl.max(z, axis=1)[:, None])
    p = e * (1.0 / tl.sum(e, axis=1))[:, None]
    tl.store(p_ptr + offs, p, mask=mask)


@triton.jit
def _temp_softmax_wide_kernel(x_ptr, p_ptr, inv_t, N, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    x_row = x_ptr + row * N
    p_row = p_ptr + row * N
    cols = tl.arange(0, BLOCK)
    # N > BLOCK: the first chunk is full, so every lane's max is finite after it.
    m = tl.full([BLOCK], float("-inf"), tl.float32)
    s = tl.zeros([BLOCK], tl.float32)
    for start in range(0, N, BLOCK):
        offs = start + cols
        z = tl.load(x_row + offs, mask=offs < N, other=float("-inf")).to(tl.float32) * inv_t
        m_new = tl.maximum(m, z)
        s = s * tl.exp(m - m_new) + tl.exp(z - m_new)
        m = m_new
    row_max = tl.max(m, axis=0)
    inv_sum = 1.0 / tl.sum(s * tl.exp(m - row_max), axis=0)
    for start in range(0, N, BLOCK):
        offs = start + cols
        mask = offs < N
        z = tl.load(x_row + offs, mask=mask, other=float("-inf")).to(tl.float32) * inv_t
        tl.store(p_row + offs, tl.exp(z - row_max) * inv_sum, mask=mask)


def triton_softmax(x: torch.Tensor, temperature: float) -> torch.Tensor:
    x = x.contiguous()
    m, n = x.shape
    p = torch.empty((m, n), device=x.device, dtype=torch.float32)
    if p.numel() == 0:
        return p
    inv_t = 1.0 / float(temperature)
    block_n = triton.next_power_of_2(n)
    if block_n <= MAX_TILE:
        block_m = max(1, min(PACK // block_n, triton.next_power_of_2(m)))
        tile = block_m * block_n
        # 8-16 fp32 values per thread; 16 warps is AMD's workgroup limit.
        warps = 4 if tile <= 2048 else (8 if tile <= 4096 else 16)
        _temp_softmax_rows_kernel[(triton.cdiv(m, block_m),)](
            x, p, inv_t, m, n, BLOCK_M=block_m, BLOCK_N=block_n, num_warps=warps)
    else:
        _temp_softmax_wide_kernel[(m,)](x, p, inv_t, n, BLOCK=WIDE_TILE, num_warps=8)
    return p

"""Ground truth for softmax_triton1: one program per row. Rows up to MAX_TILE wide are
read once into registers; wider rows are streamed twice (an online max/sum pass, then an
output pass)."""

import torch
import triton
import triton.language as tl

MAX_TILE = 32768  # widest row kept whole in one program's registers
WIDE_TILE = 8192  # tile width when streaming a wider row


@triton.jit
def _softmax_row_kernel(x_ptr, out_ptr, N, stride_x, stride_o, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)  # 64-bit: M * N may pass 2^31
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    # Padding lanes read -inf: they never win the max and exp(-inf) adds 0 to the sum.
    x = tl.load(x_ptr + row * stride_x + cols, mask=mask, other=float("-inf")).to(tl.float32)
    # Subtracting the row max keeps every exponent <= 0, so exp cannot overflow.
    e = tl.exp(x - tl.max(x, axis=0))
    out = e / tl.sum(e, axis=0)
    tl.store(out_ptr + row * stride_o + cols, out.to(out_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _softmax_wide_kernel(x_ptr, out_ptr, N, stride_x, stride_o,
                         BLOCK: tl.constexpr, NUM_TILES: tl.constexpr):
    # NUM_TILES = cdiv(N, BLOCK) is a constexpr: the CPU interpreter cannot loop to a
    # runtime bound under NumPy >= 2.4. N >= BLOCK, so the first tile is full and every
    # lane's running max is finite after it: exp(m - m_new) never sees -inf - -inf.
    row = tl.program_id(0).to(tl.int64)
    x_row = x_ptr + row * stride_x
    o_row = out_ptr + row * stride_o
    cols = tl.arange(0, BLOCK)
    # Per-lane running max m and sum s of exp(x - m), rescaled whenever m grows.
    m = tl.full([BLOCK], float("-inf"), tl.float32)
    s = tl.zeros([BLOCK], tl.float32)
    for t in range(NUM_TILES):
        offs = t * BLOCK + cols
        x = tl.load(x_row + offs, mask=offs < N, other=float("-inf")).to(tl.float32)
        m_new = tl.maximum(m, x)
        s = s * tl.exp(m - m_new) + tl.exp(x - m_new)
        m = m_new
    row_max = tl.max(m, axis=0)
    total = tl.sum(s * tl.exp(m - row_max), axis=0)
    for t in range(NUM_TILES):
        offs = t * BLOCK + cols
        x = tl.load(x_row + offs, mask=offs < N, other=float("-inf")).to(tl.float32)
        out = tl.exp(x - row_max) / total
        tl.store(o_row + offs, out.to(out_ptr.dtype.element_ty), mask=offs < N)


def softmax_triton1(x: torch.Tensor) -> torch.Tensor:
    m, n = x.shape
    out = torch.empty((m, n), device=x.device, dtype=x.dtype)
    block = triton.next_power_of_2(n)
    if block <= MAX_TILE:
        # At most 32 elements per thread (measured fastest on an H100); AMD caps a
        # workgroup at 16 wavefronts of 64.
        warps = 4 if block <= 2048 else (8 if block <= 8192 else (16 if block <= 16384 else 32))
        if torch.version.hip:
            warps = min(warps, 16)
        _softmax_row_kernel[(m,)](x, out, n, x.stride(0), out.stride(0), BLOCK=block, num_warps=warps)
    else:
        _softmax_wide_kernel[(m,)](x, out, n, x.stride(0), out.stride(0), BLOCK=WIDE_TILE,
                                   NUM_TILES=triton.cdiv(n, WIDE_TILE), num_warps=16)
    return out

"""Ground truth for reversed_cumsum_scalar: within-chunk reverse (suffix) prefix sums
along T. Each program loads a contiguous run of BLOCK_T = ROWS * C positions of one
(b, h) row as a (ROWS, C) tile (row-major, fully coalesced) and scans it in reverse along
its second axis: every chunk of C positions is one tile row, so chunks never mix."""

import torch
import triton
import triton.language as tl


@triton.jit
def _reversed_cumsum_scalar_kernel(x_ptr, out_ptr, T, C: tl.constexpr, ROWS: tl.constexpr):
    pid_t = tl.program_id(0)
    bh = tl.program_id(1).to(tl.int64)  # 64-bit: B * H * T may pass 2^31
    t = pid_t * (ROWS * C) + tl.arange(0, ROWS)[:, None] * C + tl.arange(0, C)[None, :]
    mask = t < T
    # Padding lanes read 0: in the reverse scan they add into the earlier positions of
    # the last (partial) chunk, but add nothing.
    x = tl.load(x_ptr + bh * T + t, mask=mask, other=0.0).to(tl.float32)
    y = tl.cumsum(x, axis=1, reverse=True)
    tl.store(out_ptr + bh * T + t, y, mask=mask)


def reversed_cumsum_scalar(x: torch.Tensor, chunk_size: int) -> torch.Tensor:
    b, h, t = x.shape
    assert chunk_size in (16, 32, 64)
    out = torch.empty((b, h, t), device=x.device, dtype=torch.float32)
    # 2048 positions per program, fewer when the whole row is shorter.
    block_t = max(chunk_size, min(2048, triton.next_power_of_2(t)))
    grid = (triton.cdiv(t, block_t), b * h)
    _reversed_cumsum_scalar_kernel[grid](x, out, t, C=chunk_size, ROWS=block_t // chunk_size,
                                         num_warps=4)
    return out

"""L1 norm of each row of a 2-D matrix (sum of absolute values), looping over long rows in fixed-size chunks."""
import torch
import triton
import triton.language as tl


@triton.jit
def _l1_rows(x_ptr, out_ptr, cols, stride, CHUNK: tl.constexpr):
    r = tl.program_id(0)
    acc = tl.zeros([CHUNK], dtype=tl.float32)
    for s in range(0, cols, CHUNK):
        c = s + tl.arange(0, CHUNK)
        acc += tl.abs(tl.load(x_ptr + r * stride + c, mask=c < cols, other=0.0).to(tl.float32))
    tl.store(out_ptr + r, tl.sum(acc, axis=0))


def row_l1_norm(x: torch.Tensor) -> torch.Tensor:
    out = torch.empty(x.shape[0], device=x.device, dtype=torch.float32)
    _l1_rows[(x.shape[0],)](x, out, x.shape[1], x.stride(0), CHUNK=1024)
    return out

"""Dot product of matching rows of two matrices: out[r] = sum_k a[r, k] * b[r, k], looping over the row in chunks."""
import torch
import triton
import triton.language as tl


@triton.jit
def _rowdot(a_ptr, b_ptr, out_ptr, K, sa, sb, CHUNK: tl.constexpr):
    r = tl.program_id(0)
    acc = tl.zeros([CHUNK], dtype=tl.float32)
    for k0 in range(0, K, CHUNK):
        k = k0 + tl.arange(0, CHUNK)
        acc += tl.load(a_ptr + r * sa + k, mask=k < K, other=0.0).to(tl.float32) * \
            tl.load(b_ptr + r * sb + k, mask=k < K, other=0.0).to(tl.float32)
    tl.store(out_ptr + r, tl.sum(acc, axis=0))


def rowwise_dot(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    R, K = a.shape
    out = torch.empty(R, device=a.device, dtype=torch.float32)
    _rowdot[(R,)](a, b, out, K, a.stride(0), b.stride(0), CHUNK=256)
    return out

"""One-hot encoding: a [N] tensor of class ids becomes a [N, C] float matrix with 1.0 at each row's class, 0.0 elsewhere."""
import torch
import triton
import triton.language as tl


@triton.jit
def _one_hot(ids_ptr, out_ptr, C, BLOCK_C: tl.constexpr):
    row = tl.program_id(0)
    cls = tl.load(ids_ptr + row)
    cols = tl.arange(0, BLOCK_C)
    tl.store(out_ptr + row * C + cols, tl.where(cols == cls, 1.0, 0.0), mask=cols < C)


def one_hot_encode(ids: torch.Tensor, num_classes: int) -> torch.Tensor:
    out = torch.empty((ids.numel(), num_classes), device=ids.device, dtype=torch.float32)
    _one_hot[(ids.numel(),)](ids, out, num_classes, BLOCK_C=triton.next_power_of_2(num_classes))
    return out

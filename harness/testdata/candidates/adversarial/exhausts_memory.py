# OUT_OF_MEMORY: asks its device for 4 TiB (GPU: torch.OutOfMemoryError; CPU: the
# allocator refuses). The next candidate runs in a fresh process.
import torch


def vector_addition(x, y):
    hoard = torch.empty(1 << 42, dtype=torch.uint8, device=x.device)
    return hoard[: x.numel()].to(x.dtype)

"""Gating: multiplies a value tensor by the logistic sigmoid of a gate tensor, x * sigmoid(g), elementwise."""
import torch
import triton
import triton.language as tl


@triton.jit
def _gate_kernel(x_ptr, g_ptr, y_ptr, numel, BLOCK_SIZE: tl.constexpr):
    offsets = tl.program_id(axis=0) * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    valid = offsets < numel
    x = tl.load(x_ptr + offsets, mask=valid, other=0.0).to(tl.float32)
    g = tl.load(g_ptr + offsets, mask=valid, other=0.0).to(tl.float32)
    gate = 1.0 / (1.0 + tl.exp(-g))
    tl.store(y_ptr + offsets, (x * gate).to(y_ptr.dtype.element_ty), mask=valid)


def sigmoid_gate(x: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    y = torch.empty_like(x)
    _gate_kernel[(triton.cdiv(x.numel(), 512),)](x, g, y, x.numel(), BLOCK_SIZE=512)
    return y

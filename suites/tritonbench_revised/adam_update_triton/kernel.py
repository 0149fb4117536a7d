"""Ground truth for adam_update_triton: one program updates one block of elements,
reading param, grad and both moments once and writing param and both moments once."""

import torch
import triton
import triton.language as tl


@triton.jit
def _adam_kernel(p_ptr, g_ptr, m_ptr, v_ptr, n, lr, beta1, beta2, eps, decay,
                 inv_bc1, inv_sqrt_bc2, BLOCK: tl.constexpr):
    # 64-bit offsets: a flattened parameter may pass 2^31 elements.
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    p = tl.load(p_ptr + offs, mask=mask)
    g = tl.load(g_ptr + offs, mask=mask)
    m = tl.load(m_ptr + offs, mask=mask)
    v = tl.load(v_ptr + offs, mask=mask)
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    # sqrt(v / bc2) = sqrt(v) / sqrt(bc2); the bias corrections are host-side scalars.
    denom = tl.sqrt(v) * inv_sqrt_bc2 + eps
    p = p * decay - lr * (m * inv_bc1) / denom
    tl.store(p_ptr + offs, p, mask=mask)
    tl.store(m_ptr + offs, m, mask=mask)
    tl.store(v_ptr + offs, v, mask=mask)


def adam_update_triton(param, grad, exp_avg, exp_avg_sq, lr, beta1, beta2, eps,
                       weight_decay, step):
    n = param.numel()
    if n == 0:
        return None
    inv_bc1 = 1.0 / (1.0 - beta1 ** step)
    inv_sqrt_bc2 = 1.0 / (1.0 - beta2 ** step) ** 0.5
    block = 1024
    _adam_kernel[(triton.cdiv(n, block),)](
        param, grad, exp_avg, exp_avg_sq, n, lr, beta1, beta2, eps,
        1.0 - lr * weight_decay, inv_bc1, inv_sqrt_bc2, BLOCK=block, num_warps=4)
    return None

"""adam_update_triton: one Adam step with decoupled (AdamW) weight decay and bias
correction, applied in place to float32 param, exp_avg and exp_avg_sq:
    param      <- param * (1 - lr * weight_decay)
    exp_avg    <- beta1 * exp_avg + (1 - beta1) * grad
    exp_avg_sq <- beta2 * exp_avg_sq + (1 - beta2) * grad^2
    param      <- param - lr * (exp_avg / (1 - beta1^step))
                          / (sqrt(exp_avg_sq / (1 - beta2^step)) + eps)
(computed here in float64, stored back as float32)."""

import torch


def make_inputs(case, gen):
    shape = [case.dims[k] for k in ("M", "N") if k in case.dims]
    p = case.params
    step = int(p["step"])
    param = torch.randn(shape, generator=gen, dtype=torch.float32)
    grad = torch.randn(shape, generator=gen, dtype=torch.float32) * 1e-2
    flat = grad.view(-1)
    # Edge gradients: exact zeros (every 7th) and tiny ones (every 11th, 1e-7..1e-6), where
    # sqrt(v_hat) is comparable to eps, so adding eps inside the sqrt is caught.
    flat[3::7] = 0.0
    flat[5::11] = torch.rand(flat[5::11].shape, generator=gen) * 1e-6 + 1e-7
    if step == 1:
        # A fresh optimizer: both moments start at zero.
        exp_avg = torch.zeros(shape, dtype=torch.float32)
        exp_avg_sq = torch.zeros(shape, dtype=torch.float32)
    else:
        exp_avg = torch.randn(shape, generator=gen, dtype=torch.float32) * 1e-2
        # As in a real run, exp_avg_sq is at least about exp_avg^2 (so |update| <~ lr).
        exp_avg_sq = exp_avg * exp_avg + (torch.randn(shape, generator=gen, dtype=torch.float32) * 1e-2) ** 2
        # Some never-touched elements (both moments zero) that now get a gradient.
        exp_avg.view(-1)[4::13] = 0.0
        exp_avg_sq.view(-1)[4::13] = 0.0
    return [param, grad, exp_avg, exp_avg_sq,
            float(p["lr"]), float(p["beta1"]), float(p["beta2"]), float(p["eps"]),
            float(p["weight_decay"]), step]


def reference(param, grad, exp_avg, exp_avg_sq, lr, beta1, beta2, eps, weight_decay, step):
    p, g = param.double(), grad.double()
    m = beta1 * exp_avg.double() + (1.0 - beta1) * g
    v = beta2 * exp_avg_sq.double() + (1.0 - beta2) * g * g
    m_hat = m / (1.0 - beta1 ** step)
    v_hat = v / (1.0 - beta2 ** step)
    p = p * (1.0 - lr * weight_decay) - lr * m_hat / (v_hat.sqrt() + eps)
    param.copy_(p)
    exp_avg.copy_(m)
    exp_avg_sq.copy_(v)
    return None


def baseline(param, grad, exp_avg, exp_avg_sq, lr, beta1, beta2, eps, weight_decay, step):
    """What a PyTorch user writes: an AdamW step with in-place float32 tensor ops."""
    bias_correction1 = 1.0 - beta1 ** step
    bias_correction2 = 1.0 - beta2 ** step
    param.mul_(1.0 - lr * weight_decay)
    exp_avg.mul_(beta1).add_(grad, alpha=1.0 - beta1)
    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1.0 - beta2)
    denom = (exp_avg_sq / bias_correction2).sqrt_().add_(eps)
    param.addcdiv_(exp_avg, denom, value=-lr / bias_correction1)
    return None

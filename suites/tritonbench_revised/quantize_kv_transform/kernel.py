"""Ground truth for quantize_kv_transform: program (s_block, b * H + h) reads BLOCK_S
token vectors of one head (each D contiguous elements, H * D apart in x) and writes
them as one contiguous BLOCK_S * D run of the head-major cache, plus BLOCK_S scales."""

import torch
import triton
import triton.language as tl


@triton.jit
def _quantize_kv_transform_kernel(x_ptr, q_ptr, scale_ptr, S, H, D,
                                  stride_xb, stride_xs, stride_xh,
                                  stride_qb, stride_qh, stride_qs,
                                  stride_sb, stride_sh,
                                  BLOCK_S: tl.constexpr, BLOCK_D: tl.constexpr):
    pid_s = tl.program_id(0)
    bh = tl.program_id(1)
    b = (bh // H).to(tl.int64)  # 64-bit: B * S * H * D can pass 2^31
    h = (bh % H).to(tl.int64)
    s = pid_s * BLOCK_S + tl.arange(0, BLOCK_S)
    s_ok = s < S
    s64 = s.to(tl.int64)
    cols = tl.arange(0, BLOCK_D)
    mask = s_ok[:, None] & (cols[None, :] < D)
    src = x_ptr + b * stride_xb + h * stride_xh + s64[:, None] * stride_xs + cols[None, :]
    x = tl.load(src, mask=mask, other=0.0).to(tl.float32)
    amax = tl.max(tl.abs(x), axis=1)
    factor = tl.where(amax > 0, 127.0 / amax, 0.0)  # absmax 0: codes 0
    v = x * factor[:, None]
    q = tl.where(v >= 0, tl.floor(v + 0.5), tl.ceil(v - 0.5))  # half away from zero
    q = tl.minimum(tl.maximum(q, -127.0), 127.0).to(tl.int8)
    dst = q_ptr + b * stride_qb + h * stride_qh + s64[:, None] * stride_qs + cols[None, :]
    tl.store(dst, q, mask=mask)
    tl.store(scale_ptr + b * stride_sb + h * stride_sh + s64, amax / 127.0, mask=s_ok)


def quantize_kv_transform(x: torch.Tensor):
    x = x.contiguous()
    b, s, h, d = x.shape
    q = torch.empty((b, h, s, d), device=x.device, dtype=torch.int8)
    scale = torch.empty((b, h, s), device=x.device, dtype=torch.float32)
    if q.numel() == 0:
        return q, scale
    block_d = triton.next_power_of_2(d)
    block_s = max(1, 4096 // block_d)  # ~4K elements per program
    grid = (triton.cdiv(s, block_s), b * h)
    _quantize_kv_transform_kernel[grid](
        x, q, scale, s, h, d,
        x.stride(0), x.stride(1), x.stride(2),
        q.stride(0), q.stride(1), q.stride(2),
        scale.stride(0), scale.stride(1),
        BLOCK_S=block_s, BLOCK_D=block_d, num_warps=4)
    return q, scale

"""Ground truth for fp4_to_bf16: unpacks FP4 E2M1 codes (two per byte, low nibble first)
into bfloat16. Each program decodes one BLOCK_M x BLOCK_K tile of packed bytes into the
BLOCK_M x 2*BLOCK_K output tile. A code s|e1e0|m (sign, 2 exponent bits, 1 mantissa bit)
maps straight onto bfloat16 bits with integer arithmetic, so the result is exact:
  e > 0:  (-1)^s * 2^(e-1) * (1 + m/2)  ->  sign<<15 | (e + 126)<<7 | m<<6
  e = 0:  (-1)^s * m * 0.5              ->  sign<<15 | (m ? 0x3F00 : 0)"""

import torch
import triton
import triton.language as tl


@triton.jit
def _e2m1_to_bf16_bits(c):
    """c: int32 codes in [0, 16) -> int32 holding the bfloat16 bit pattern."""
    sign = (c & 8) << 12
    e = (c >> 1) & 3
    m = c & 1
    normal = ((e + 126) << 7) | (m << 6)
    sub = m * 0x3F00  # 0.5 or +-0
    return sign | tl.where(e > 0, normal, sub)


@triton.jit
def _fp4_to_bf16_kernel(p_ptr, out_ptr, M, K, stride_pm, stride_om,
                        BLOCK_M: tl.constexpr, BLOCK_K: tl.constexpr):
    # 1-D grid over (row tiles, byte-column tiles): no 65535 limit on M.
    pid = tl.program_id(0)
    tiles_k = tl.cdiv(K, BLOCK_K)
    rows = (pid // tiles_k) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = (pid % tiles_k) * BLOCK_K + tl.arange(0, BLOCK_K)
    mask = (rows[:, None] < M) & (cols[None, :] < K)
    # 64-bit row offsets: M * N can pass 2^31.
    r64 = rows.to(tl.int64)[:, None]
    p = tl.load(p_ptr + r64 * stride_pm + cols[None, :], mask=mask, other=0).to(tl.int32)
    lo = _e2m1_to_bf16_bits(p & 0xF)
    hi = _e2m1_to_bf16_bits((p >> 4) & 0xF)
    # Interleave: byte j gives output columns 2j (low nibble) and 2j+1 (high nibble).
    bits = tl.reshape(tl.join(lo, hi), (BLOCK_M, 2 * BLOCK_K))
    vals = bits.to(tl.int16).to(tl.bfloat16, bitcast=True)
    ocols = (pid % tiles_k) * (2 * BLOCK_K) + tl.arange(0, 2 * BLOCK_K)
    omask = (rows[:, None] < M) & (ocols[None, :] < 2 * K)
    tl.store(out_ptr + r64 * stride_om + ocols[None, :], vals, mask=omask)


def fp4_to_bf16(packed: torch.Tensor) -> torch.Tensor:
    m, k = packed.shape
    out = torch.empty((m, 2 * k), device=packed.device, dtype=torch.bfloat16)
    if out.numel() == 0:
        return out
    # ~8K packed bytes (16K outputs, 32 KB written) per program; short rows share one.
    block_k = min(1024, triton.next_power_of_2(k))
    block_m = max(1, 8192 // block_k)
    grid = (triton.cdiv(m, block_m) * triton.cdiv(k, block_k),)
    _fp4_to_bf16_kernel[grid](packed, out, m, k, packed.stride(0), out.stride(0),
                              BLOCK_M=block_m, BLOCK_K=block_k, num_warps=8)
    return out

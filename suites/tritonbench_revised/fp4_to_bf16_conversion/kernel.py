"""Ground truth for fp4_to_bf16_conversion: MXFP4 decode. Packed FP4 E2M1 codes (two per
byte, low nibble first) times one E8M0 scale 2^(e - 127) per 32 consecutive elements of a
row, written as bfloat16. Each program handles a BLOCK_M x (GROUPS * 16) tile of packed
bytes, viewed as (BLOCK_M, GROUPS, 16) so that each 16-byte (32-element) block meets its
scale by broadcasting, with no gather.

The product is built directly as bfloat16 bits with integer arithmetic, so it is exact on
every device (no float multiply that could flush the subnormal results to zero):
  magnitude = 2^x * (1 + f/2) with x = e2m1 exponent - 1 (x = -1, f = 0 for 0.5)
  biased bf16 exponent b = x + e8m0   (scale exponent e8m0 - 127, bias +127)
  b >= 255: +-inf;  b >= 1: b<<7 | f<<6;  b in {0, -1}: subnormal (0x80 | f<<6) >> (1 - b)
  code +-0: +-0;    e8m0 = 255 (NaN scale): NaN for the whole block."""

import torch
import triton
import triton.language as tl


@triton.jit
def _mxfp4_bits(c, e8):
    """c: int32 E2M1 codes in [0, 16); e8: int32 E8M0 exponents (broadcastable).
    Returns int32 bfloat16 bit patterns of c * 2^(e8 - 127)."""
    sign = (c & 8) << 12
    e = (c >> 1) & 3
    m = c & 1
    frac = tl.where(e > 0, m, 0)
    b = tl.where(e > 0, e - 1, -1) + e8
    normal = (b << 7) | (frac << 6)
    shift = tl.minimum(tl.maximum(1 - b, 0), 8)
    subnormal = (0x80 | (frac << 6)) >> shift
    mag = tl.where(b >= 255, 0x7F80, tl.where(b > 0, normal, subnormal))
    mag = tl.where((c & 7) == 0, 0, mag)
    return tl.where(e8 == 255, 0x7FC0, sign | mag)


@triton.jit
def _mxfp4_to_bf16_kernel(p_ptr, s_ptr, out_ptr, M, K, stride_pm, stride_sm, stride_om,
                          BLOCK_M: tl.constexpr, GROUPS: tl.constexpr):
    # One scale covers 32 elements = 16 packed bytes; K (bytes per row) is a multiple of 16.
    BYTES: tl.constexpr = GROUPS * 16
    pid = tl.program_id(0)
    tiles_k = tl.cdiv(K, BYTES)
    rows = (pid // tiles_k) * BLOCK_M + tl.arange(0, BLOCK_M)
    groups = (pid % tiles_k) * GROUPS + tl.arange(0, GROUPS)
    row_ok = rows < M
    g_mask = row_ok[:, None] & (groups[None, :] * 16 < K)
    r64 = rows.to(tl.int64)
    # Scales: (BLOCK_M, GROUPS); packed bytes: (BLOCK_M, GROUPS, 16), contiguous per row.
    e8 = tl.load(s_ptr + r64[:, None] * stride_sm + groups[None, :], mask=g_mask, other=127)
    e8 = e8.to(tl.int32)[:, :, None]
    byte_cols = groups[None, :, None] * 16 + tl.arange(0, 16)[None, None, :]
    p = tl.load(p_ptr + r64[:, None, None] * stride_pm + byte_cols, mask=g_mask[:, :, None],
                other=0).to(tl.int32)
    lo = _mxfp4_bits(p & 0xF, e8)
    hi = _mxfp4_bits((p >> 4) & 0xF, e8)
    # Interleave: byte j gives output columns 2j (low nibble) and 2j+1 (high nibble).
    bits = tl.reshape(tl.join(lo, hi), (BLOCK_M, 2 * BYTES))
    vals = bits.to(tl.int16).to(tl.bfloat16, bitcast=True)
    ocols = (pid % tiles_k) * (2 * BYTES) + tl.arange(0, 2 * BYTES)
    omask = row_ok[:, None] & (ocols[None, :] < 2 * K)
    tl.store(out_ptr + r64[:, None] * stride_om + ocols[None, :], vals, mask=omask)


def fp4_to_bf16_conversion(packed: torch.Tensor, scales: torch.Tensor) -> torch.Tensor:
    m, k = packed.shape
    assert k % 16 == 0 and scales.shape == (m, k // 16)
    out = torch.empty((m, 2 * k), device=packed.device, dtype=torch.bfloat16)
    if out.numel() == 0:
        return out
    # ~8K packed bytes (16K outputs) per program; short rows share one.
    groups = min(64, triton.next_power_of_2(k // 16))
    block_m = max(1, 512 // groups)
    grid = (triton.cdiv(m, block_m) * triton.cdiv(k, groups * 16),)
    _mxfp4_to_bf16_kernel[grid](packed, scales, out, m, k,
                                packed.stride(0), scales.stride(0), out.stride(0),
                                BLOCK_M=block_m, GROUPS=groups, num_warps=8)
    return out

"""fp4_to_bf16_conversion: MXFP4 decode. packed (M, N/2) uint8 holds FP4 E2M1 codes, two
per byte (element 2j in the low nibble, 2j+1 in the high one); scales (M, N/32) uint8 holds
one E8M0 exponent per 32 consecutive elements of a row. out[i, j] = e2m1(code[i, j]) *
2^(scales[i, j // 32] - 127) as bfloat16: exact (the smallest product, 0.5 * 2^-127 =
2^-128, is a bfloat16 subnormal), +-inf where the product passes the bfloat16 range
(>= 2^128), NaN for every element of a block whose scale is 255 (E8M0 NaN)."""

import torch

E2M1 = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0,
        -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0]


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    packed = torch.randint(0, 256, (m, n // 2), generator=gen, dtype=torch.int32).to(torch.uint8)
    k = min(256, n // 2)
    packed[0, :k] = torch.arange(k, dtype=torch.int32).to(torch.uint8)  # every code pair
    # Realistic scales sit near 2^0 (E8M0 117..137); every 4th row draws from the full
    # range 0..254, reaching bfloat16 subnormals (e <= 2) and overflow to inf (e >= 253).
    # The first blocks also pin the extremes: 0, 1, 254, 255 (NaN), 253, 127.
    scales = torch.randint(117, 138, (m, n // 32), generator=gen, dtype=torch.int32)
    scales[1::4] = torch.randint(0, 255, scales[1::4].shape, generator=gen, dtype=torch.int32)
    flat = scales.view(-1)
    pins = torch.tensor([0, 1, 254, 255, 253, 127], dtype=torch.int32)[:flat.numel()]
    flat[:pins.numel()] = pins
    return [packed, scales.to(torch.uint8)]


def reference(packed, scales):
    table = torch.tensor(E2M1, dtype=torch.float64, device=packed.device)
    codes = packed.to(torch.int64)
    vals = torch.stack([table[codes & 0xF], table[codes >> 4]], dim=-1)
    vals = vals.reshape(packed.shape[0], -1, 32)                       # (M, N/32, 32)
    e = scales.to(torch.float64)[:, :, None]
    scale = torch.where(e == 255, torch.nan, torch.exp2(e - 127))      # E8M0 255 = NaN
    out = (vals * scale).reshape(packed.shape[0], 2 * packed.shape[1])
    return out.to(torch.bfloat16)


def baseline(packed, scales):
    """What a PyTorch user writes: bfloat16 E2M1 lookup times the float8_e8m0fnu scales."""
    m = packed.shape[0]
    table = torch.tensor(E2M1, dtype=torch.bfloat16, device=packed.device)
    codes = torch.stack([packed & 0xF, packed >> 4], dim=-1).reshape(m, -1, 32)
    # E8M0 as PyTorch's own dtype: 2^(e - 127) exactly (2^-127 included), 255 -> NaN.
    scale = scales.view(torch.float8_e8m0fnu).float()
    # float32 product: exact, and past 2^128 it overflows to inf as bfloat16 would.
    return (table[codes.int()] * scale[..., None]).reshape(m, -1).to(torch.bfloat16)

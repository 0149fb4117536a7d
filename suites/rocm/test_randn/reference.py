"""test_randn: out (any shape, float32/float16/bfloat16, contiguous) is filled in place
with out.flatten()[i] = mean + std * z_i, z_i = Triton's tl.randn(seed, i):
  (c0, c1, _, _) = Philox-4x32, 10 rounds, counter (i mod 2^32, i >> 32, 0, 0),
                   key (seed mod 2^32, seed >> 32);
  u(c) = float32(x) * 4.6566127342e-10 with x = c as int32, x = -x - 1 if x < 0;
  u1 = max(1e-7, u(c0)), u2 = u(c1);
  z = sqrt(-2 log u1) * cos(6.283185307179586 * u2)      (float32 throughout).
Philox is re-implemented with exact int64 arithmetic; the float part in float32."""

import torch

MASK32 = 0xFFFFFFFF
ROUND_A, ROUND_B = 0xD2511F53, 0xCD9E8D57  # Philox-4x32 multipliers
KEY_A, KEY_B = 0x9E3779B9, 0xBB67AE85      # Weyl key increments


def _mul_hi_lo(a, b):
    """(a * b) >> 32 and (a * b) mod 2^32 for a constant a < 2^32 and an int64 tensor b
    of 32-bit values, without overflowing int64: b is split into 16-bit halves."""
    t = a * (b & 0xFFFF)   # < 2^48
    u = a * (b >> 16)      # < 2^48
    hi = (u + (t >> 16)) >> 16
    lo = (((u & 0xFFFF) << 16) + t) & MASK32
    return hi, lo


def philox4x32(seed, c0, c1, c2, c3, rounds=10):
    """Triton's philox_impl on int64 tensors holding uint32 values."""
    k0, k1 = seed & MASK32, (seed >> 32) & MASK32
    for _ in range(rounds):
        hi_b, lo_b = _mul_hi_lo(ROUND_B, c2)
        hi_a, lo_a = _mul_hi_lo(ROUND_A, c0)
        c0, c1, c2, c3 = hi_b ^ c1 ^ k0, lo_b, hi_a ^ c3 ^ k1, lo_a
        k0, k1 = (k0 + KEY_A) & MASK32, (k1 + KEY_B) & MASK32
    return c0, c1, c2, c3


def _uniform(c):
    """Triton's uint_to_uniform_float for a 32-bit word: [0, 1) in float32."""
    x = torch.where(c >= 2**31, c - 2**32, c)     # bitcast to int32
    x = torch.where(x < 0, -x - 1, x)
    return x.to(torch.float32) * torch.tensor(4.6566127342e-10, dtype=torch.float32)


def philox_randn(seed, offsets):
    """tl.randn(seed, offsets) for int64 offsets, in float32."""
    zero = torch.zeros_like(offsets)
    c0, c1, _, _ = philox4x32(seed, offsets & MASK32, (offsets >> 32) & MASK32, zero, zero)
    u1 = torch.clamp(_uniform(c0), min=1e-7)
    th = _uniform(c1) * torch.tensor(6.283185307179586, dtype=torch.float32)
    r = torch.sqrt(-2.0 * torch.log(u1))
    return r * torch.cos(th)


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: seed (may exceed 2^32, using the key's high word), mean, std. The output
    # buffer starts as NaN so unwritten elements show.
    seed = int(case.params.get("seed", 1234))
    mean = case.params.get("mean", 0.0)
    std = case.params.get("std", 1.0)
    out = torch.full((m, n), float("nan"), dtype=case.dtype)
    return [out, seed, mean, std]


def reference(out, seed, mean, std):
    offsets = torch.arange(out.numel(), dtype=torch.int64, device=out.device)
    z = philox_randn(seed, offsets)
    out.copy_((mean + std * z).to(out.dtype).view(out.shape))


# The reference is already what a PyTorch user writes.
baseline = reference

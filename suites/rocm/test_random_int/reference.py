"""test_random_int: out (any shape, int32, contiguous) is filled in place with
    out.flatten()[i] = low + (philox(seed, i) mod (high - low)),
where philox(seed, i) is Triton's tl.randint(seed, i) as an unsigned 32-bit value: the
first output word of Philox-4x32 with 10 rounds, counter (i mod 2^32, i >> 32, 0, 0)
and key (seed mod 2^32, seed >> 32). Re-implemented here with exact int64 arithmetic."""

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


def philox_randint(seed, offsets):
    """tl.randint(seed, offsets) for int64 offsets, as uint32 values in an int64 tensor."""
    zero = torch.zeros_like(offsets)
    return philox4x32(seed, offsets & MASK32, (offsets >> 32) & MASK32, zero, zero)[0]


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: seed (may exceed 2^32, using the key's high word), low, high. The output
    # buffer starts as -1 so unwritten elements show.
    seed = int(case.params.get("seed", 1234))
    low = int(case.params.get("low", 0))
    high = int(case.params.get("high", 2**31 - 1))
    out = torch.full((m, n), -1, dtype=torch.int32)
    return [out, seed, low, high]


def reference(out, seed, low, high):
    offsets = torch.arange(out.numel(), dtype=torch.int64, device=out.device)
    bits = philox_randint(seed, offsets)
    out.copy_((low + bits % (high - low)).to(torch.int32).view(out.shape))


# The reference is already what a PyTorch user writes.
baseline = reference

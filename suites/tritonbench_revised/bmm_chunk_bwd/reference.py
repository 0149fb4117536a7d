"""bmm_chunk_bwd: for C (batch, T, G, N) and dout (batch, nchunks, G, Q, Q),
dB[b, c*Q+j, g, n] = sum_i dout[b, c, g, i, j] * C[b, c*Q+i, g, n] (C zero past T),
computed in float64 and returned in float32, shape (batch, T, G, N)."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    bsz, t, g, n = case.dims["B"], case.dims["T"], case.dims["G"], case.dims["N"]
    q = int(case.dims["Q"])
    nchunks = -(-t // q)
    c = torch.randn(bsz, t, g, n, generator=gen).to(case.dtype)
    # dout carries 1/sqrt(Q) so dB ~ N(0, 1) for every Q. Entries of the padded part of
    # the last chunk are nonzero too: they must meet only zero rows of C.
    dout = torch.randn(bsz, nchunks, g, q, q, generator=gen) / math.sqrt(q)
    return [c, dout]


def reference(c, dout):
    bsz, t, g, n = c.shape
    nchunks, q = dout.shape[1], dout.shape[-1]
    pad = nchunks * q - t
    cd = torch.nn.functional.pad(c.double(), (0, 0, 0, 0, 0, pad)).view(bsz, nchunks, q, g, n)
    db = torch.einsum("bcgij,bcign->bcjgn", dout.double(), cd)
    return db.reshape(bsz, nchunks * q, g, n)[:, :t].float()


def baseline(c, dout):
    """What a PyTorch user writes: pad C to whole chunks and contract with one einsum."""
    bsz, t, g, n = c.shape
    nchunks, q = dout.shape[1], dout.shape[-1]
    # dout is float32, so the product is taken in float32 (C upcast to match).
    cc = F.pad(c, (0, 0, 0, 0, 0, nchunks * q - t)).view(bsz, nchunks, q, g, n).to(dout.dtype)
    db = torch.einsum("bcgij,bcign->bcjgn", dout, cc)
    return db.reshape(bsz, nchunks * q, g, n)[:, :t]

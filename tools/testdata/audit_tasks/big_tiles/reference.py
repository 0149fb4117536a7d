"""Fixture for tools/portability_audit_test.sh: C = A @ B + 1."""

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    return [torch.randn(m, k, generator=gen).to(case.dtype), torch.randn(k, n, generator=gen).to(case.dtype)]


def reference(a, b):
    return (a.double() @ b.double()).float() + 1


baseline = reference

"""Compares a candidate's outputs with the reference's, with the spec's tolerances."""

import torch

import verdicts
from failures import EvaluationFailure


def as_output_list(value, what):
    """Normalizes a tensor / tuple / list / None return value to a list of tensors."""
    if value is None:
        return []
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (tuple, list)) and all(isinstance(v, torch.Tensor) for v in value):
        return list(value)
    raise EvaluationFailure(
        verdicts.WRONG_OUTPUT_STRUCTURE,
        f"{what} returned {type(value).__name__}; expected a tensor or a tuple of tensors")


def tolerance_for(dtype, tolerances):
    """(atol, rtol) for a floating dtype from {dtype name: (atol, rtol)}; None = exact."""
    if not (dtype.is_floating_point or dtype.is_complex):
        return None
    name = str(dtype).replace("torch.", "")
    if name not in tolerances:
        raise EvaluationFailure(
            verdicts.HARNESS_ERROR, f"the task gives no tolerance for output dtype {name}")
    return tolerances[name]


def compare_outputs(outputs, expected, tolerances, device, work_device=None):
    """Checks candidate `outputs` against `expected` (both lists of tensors).

    Returns (max_abs_error, max_rel_error, mismatch_fraction) over all outputs; raises
    EvaluationFailure naming the first output that differs in count, device, dtype,
    shape or values. NaN must appear exactly where the reference has NaN, and Inf with
    the reference's sign; elsewhere |out - ref| <= atol + rtol * |ref|. The arithmetic
    runs on `work_device` (default: the outputs' device), chunk by chunk: on an H200 host
    one 128M-element float16 output took 2.6 s on 16 CPU threads (8 s on 2), which
    evaluations running side by side (evaluate --jobs) then also fought over.
    """
    if len(outputs) != len(expected):
        raise EvaluationFailure(
            verdicts.WRONG_OUTPUT_STRUCTURE,
            f"returned {len(outputs)} output(s); the reference returns {len(expected)}")
    worst_abs = worst_rel = worst_frac = 0.0
    for i, (out, ref) in enumerate(zip(outputs, expected)):
        label = f"output {i}"
        if out.device.type != torch.device(device).type:
            raise EvaluationFailure(
                verdicts.WRONG_DEVICE, f"{label} is on {out.device}; expected {device}")
        if out.dtype != ref.dtype:
            raise EvaluationFailure(
                verdicts.WRONG_DTYPE, f"{label} has dtype {out.dtype}; expected {ref.dtype}")
        if tuple(out.shape) != tuple(ref.shape):
            raise EvaluationFailure(
                verdicts.WRONG_SHAPE,
                f"{label} has shape {tuple(out.shape)}; expected {tuple(ref.shape)}")
        tol = tolerance_for(ref.dtype, tolerances)
        max_abs, max_rel, frac = _compare_values(label, out.detach(), ref.detach(), tol, work_device)
        worst_abs, worst_rel, worst_frac = max(worst_abs, max_abs), max(worst_rel, max_rel), max(worst_frac, frac)
    return worst_abs, worst_rel, worst_frac


# Elements compared at a time: float64 temporaries of a GPU-sized output (256M elements)
# would take tens of GB of host memory at once.
CHUNK = 1 << 24


def _compare_values(label, out, ref, tol, work_device=None):
    """Compares values chunk by chunk on `work_device` (default: the output's); returns
    (max abs error, max rel error, mismatch fraction) or raises WRONG_VALUES naming the
    first bad element."""
    work = torch.device(work_device) if work_device else out.device
    got_flat = out.reshape(-1)
    want_flat = ref.reshape(-1)
    n = got_flat.numel()
    max_abs = max_rel = 0.0
    bad_total = 0
    first = None
    for start in range(0, n, CHUNK):
        got = got_flat[start:start + CHUNK].to(work)
        want = want_flat[start:start + CHUNK].to(work)
        if tol is None:
            bad = got != want
        else:
            atol, rtol = tol
            g, w = got.to(torch.float64), want.to(torch.float64)
            nan_ref, nan_got = torch.isnan(w), torch.isnan(g)
            inf_ref = torch.isinf(w)
            finite_ref = ~(nan_ref | inf_ref)
            nonfinite_wrong = (nan_ref != nan_got) | (inf_ref & (g != w)) | (finite_ref & ~torch.isfinite(g))
            diff = (g - w).abs()
            diff = torch.where(finite_ref & torch.isfinite(g), diff, torch.zeros_like(diff))
            bad = nonfinite_wrong | (finite_ref & (diff > atol + rtol * w.abs()))
            if diff.numel():
                max_abs = max(max_abs, diff.max().item())
                max_rel = max(max_rel, (diff / w.abs().clamp_min(max(atol, 1e-30))).max().item())
        count = int(bad.sum())
        if count and first is None:
            first = start + int(bad.nonzero()[0, 0])
        bad_total += count
    if bad_total:
        index = tuple(int(i) for i in torch.unravel_index(torch.tensor(first), tuple(out.shape))) if out.dim() else ()
        what = (f"differ (exact match required for {ref.dtype})" if tol is None else
                f"outside atol={tol[0]:g} rtol={tol[1]:g} (max abs error {max_abs:.3e})")
        raise EvaluationFailure(verdicts.WRONG_VALUES, (
            f"{label}: {bad_total} of {n} elements {what}; first at index {index}: "
            f"got {out[index].item():.6g}, expected {ref[index].item():.6g}"))
    return max_abs, max_rel, (bad_total / n if n else 0.0)


def snapshot(args):
    """Byte-exact copies of every tensor argument, to detect writes to inputs."""
    return [a.detach().clone() if isinstance(a, torch.Tensor) else None for a in args]


def mutated_inputs(args, before, allowed):
    """Indices of tensor arguments not in `allowed` whose bytes changed."""
    changed = []
    for i, (a, b) in enumerate(zip(args, before)):
        if b is None or i in allowed:
            continue
        if not _same_bytes(a, b):
            changed.append(i)
    return changed


def _same_bytes(a, b):
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.numel() == 0:
        return True
    x = a.detach().contiguous().reshape(-1).view(torch.uint8)
    y = b.detach().contiguous().reshape(-1).view(torch.uint8)
    return torch.equal(x, y)


def aliases_input(outputs, args, allowed):
    """Index of an input (not in `allowed`) whose storage an output shares, else None."""
    for out in outputs:
        ptr = out.untyped_storage().data_ptr()
        for i, a in enumerate(args):
            if isinstance(a, torch.Tensor) and i not in allowed and a.numel() and out.numel():
                if a.untyped_storage().data_ptr() == ptr:
                    return i
    return None

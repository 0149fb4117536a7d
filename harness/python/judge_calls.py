"""The judge's side of one checked call of the candidate: the files exchanged with the
candidate process, the comparison with the reference's outputs and the checks on what
the call did (launches, provenance of the outputs, aliasing, writes to inputs)."""

import os
import tempfile

import verdicts
from failures import EvaluationFailure, record_failure, rejected


def torch_device(device):
    return "cuda" if device == "gpu" else "cpu"


class Files:
    """The candidate's private folder and the paths of the files exchanged in it."""

    def __init__(self, root):
        self.dir = tempfile.mkdtemp(prefix="candidate-", dir=root)
        os.chmod(self.dir, 0o700)
        self.inputs = os.path.join(self.dir, "inputs.pt")
        self.outputs = os.path.join(self.dir, "outputs.pt")

    def write_inputs(self, cpu_args):
        import torch

        torch.save(cpu_args, self.inputs)

    def read_outputs(self):
        """The dict the candidate process wrote (write op), the file removed."""
        import torch

        try:
            data = torch.load(self.outputs, weights_only=True)
            os.unlink(self.outputs)
            return data
        except Exception as e:  # noqa: BLE001 - the file came from the candidate's process
            raise EvaluationFailure(
                verdicts.WRONG_OUTPUT_STRUCTURE, f"unreadable outputs from the candidate process: {e!r}")


def judge_outputs(task, check, reply, outputs, args_after):
    """Compares what one call returned with the reference. Returns (max_abs, max_rel,
    mismatch_fraction) or raises EvaluationFailure for the first problem."""
    import compare

    if reply.get("alias") is not None:
        raise EvaluationFailure(verdicts.OUTPUT_ALIASES_INPUT, f"an output shares storage with input {reply['alias']}")
    changed = compare.mutated_inputs(check.cpu_args, args_after, task.mutated)
    if changed:
        raise EvaluationFailure(
            verdicts.INPUT_MUTATED, f"the call wrote to input(s) {changed}, which must stay unchanged")
    want = torch_device(task.device)
    for i, dev in enumerate(reply.get("output_devices", [])):
        if dev != want:
            raise EvaluationFailure(verdicts.WRONG_DEVICE, f"output {i} is on {dev}; expected {want}")
    outputs = list(outputs) + [args_after[i] for i in sorted(task.mutated)]
    return task.compare(outputs, check.expected)


def provenance_problem(reply):
    """Why the outputs did not come from Triton, or "" (launch_guard.py's evidence)."""
    if not reply.get("launches"):
        return verdicts.NO_TRITON_KERNEL, "the call launched no Triton kernel"
    if reply.get("not_from_triton"):
        return verdicts.OUTPUT_NOT_FROM_TRITON, (
            f"output(s) {reply['not_from_triton']} were computed by torch from the inputs; "
            "no Triton kernel wrote them or anything they were computed from")
    if reply.get("laundered"):
        return verdicts.OUTPUT_NOT_FROM_TRITON, (
            f"output(s) {reply['laundered']} held a result torch computed from the inputs before a Triton kernel "
            "first took them in: the kernel only passed torch's answer through")
    return "", ""


def run_check(task, child, files, check):
    """Runs the candidate on the check's inputs and compares. Returns a CaseResult
    dict (a failed comparison or a rejection is a failed case); raises EvaluationFailure
    when the call itself fails."""
    files.write_inputs(check.cpu_args)
    child.request({"op": "read", "inputs": files.inputs})
    with task.gpu.shared():
        reply = child.request({"op": "call"})
    child.request({"op": "write", "outputs": files.outputs})
    data = files.read_outputs()
    result = {"case_name": check.label, "seed": check.seed, "passed": False}
    try:
        max_abs, max_rel, frac = judge_outputs(task, check, reply, data["outputs"], data["args"])
        result.update(max_abs_error=max_abs, max_rel_error=max_rel, mismatch_fraction=frac)
        check_name, why = provenance_problem(reply)
        if check_name:
            raise rejected(check_name, why)
        result.update(passed=True, failure_kind=verdicts.NONE)
    except EvaluationFailure as f:
        if f.kind == verdicts.HARNESS_ERROR:
            raise
        record_failure(result, f.kind, f"case '{check.label}' seed {check.seed}: {f.message}")
    return result

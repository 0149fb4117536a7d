"""GEAK-eval's rules for a task imported from it (TaskSpec.upstream), and this project's
strict comparison of the same outputs.

GEAK-eval (AMD-AGI/GEAK-eval, the paper-time commit a85e657) judges a generated module
by appending the golden file's test code to it and running the result:

- The generated code first goes through its `process_code`: the text after the last
  "```python" when there is one, then every `test_*` function and every statement that
  calls one removed (strip_tests here).
- TritonBench-revised: call = the module ran without an exception; exec = the
  `result_gold` it leaves equals the golden file's under its `compare`: lists and
  tuples element by element over zip() (so a shorter one is not noticed) and there
  with allclose's default-free tolerances of 1e-3/1e-3 (the atol/rtol given, 1e-2/1e-1,
  reach only a result that is not a container; a dict's values are compared as a
  list, hence at 1e-3/1e-3), tensors by torch.allclose(golden, generated) (which
  broadcasts and raises on a dtype mismatch), numpy arrays by np.allclose, anything
  else by ==; the verdict is the text of the last value being "True".
- ROCm: the tests (pytest) fill `result_gold`; call = its `_CALL_SUCCESS_` entry (set
  by any test that reached its kernel's output) is non-zero; exec = called, and the
  dicts have the same keys and every value matches: containers of the same type and
  length, tensors of the same shape passing torch.testing.assert_close with atol
  1e-2, rtol 1e-2 (dtype checked, NaN unequal), others equal.

Both sides' outputs reach the judge through files (upstream_values.py).

strict_compare is this project's comparison of the same outputs: the same structure
(types, lengths, keys: nothing truncated), for every tensor the same device type,
dtype and shape, values within the spec's per-dtype tolerances with NaN exactly where
the golden has NaN and Inf with its sign, integers exactly (compare.compare_outputs).
"""

import ast
import os
import random

import verdicts
from upstream_values import Opaque

# The line between a golden file's kernel code and its test code.
SEPARATOR = "#" * 146
# What a ROCm test sets in result_gold once it has reached its kernel's output.
CALL_MARK = "_CALL_SUCCESS_"
# GEAK-eval's TritonBench-revised compare() recurses into containers without passing
# its tolerances on, so nested values are compared with its defaults.
TBG_NESTED_TOLERANCE = (1e-3, 1e-3)

RULES = {
    "TRITONBENCH_G": "GEAK-eval a85e657 TritonBench-revised (allclose; 1e-2/1e-1 at the top level, "
                     "1e-3/1e-3 inside containers)",
    "ROCM": "GEAK-eval a85e657 ROCm (keys equal, assert_close atol 1e-2 rtol 1e-2)",
}


def set_seed(seed=42):
    """The seeding GEAK-eval does before it runs a module (its set_seed)."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    os.environ["PYTHONHASHSEED"] = str(seed)


def _is_test_call(value):
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name.startswith("test_")


class _TestRemover(ast.NodeTransformer):
    """Drops test_* functions and statements whose value is a call of a test_* name,
    at every level (GEAK-eval's process_code does the same)."""

    def visit_FunctionDef(self, node):
        if node.name.startswith("test_"):
            return None
        return self.generic_visit(node)

    def visit_Expr(self, node):
        return None if _is_test_call(node.value) else self.generic_visit(node)

    def visit_Assign(self, node):
        return None if _is_test_call(node.value) else self.generic_visit(node)

    def visit_AugAssign(self, node):
        return None if _is_test_call(node.value) else self.generic_visit(node)


def strip_tests(code):
    """The generated code as GEAK-eval runs it: after the last "```python" fence if any
    (with two chat end tokens removed), without test_* functions or calls of them; the
    text unchanged past the fence when it does not parse."""
    if "```python" in code:
        code = code.split("```python")[-1].replace("<|im_end|>", "").replace("<|EOT|>", "")
    try:
        tree = _TestRemover().visit(ast.parse(code))
        ast.fix_missing_locations(tree)
        return ast.unparse(tree)
    except (SyntaxError, ValueError, RecursionError):
        return code


def combined_source(code, tests):
    """The module GEAK-eval runs: the code, the separator line, the test code. Returns
    (text, first line of the test code, 1-based)."""
    head = code.rstrip("\n") + "\n\n" + SEPARATOR + "\n\n"
    return head + tests, head.count("\n") + 1


def _tbg_leaf(golden, generated, atol, rtol, golden_devices, generated_devices):
    import numpy as np
    import torch

    if type(generated) == np.ndarray:  # noqa: E721 - GEAK-eval compares exact types
        return np.allclose(golden, generated, atol=atol, rtol=rtol)
    if type(generated) == torch.Tensor:  # noqa: E721
        if isinstance(golden, torch.Tensor) and golden_devices.device(golden) != generated_devices.device(generated):
            raise RuntimeError("Expected all tensors to be on the same device, but found at least two devices, "
                               f"{golden_devices.device(golden)} and {generated_devices.device(generated)}")
        return torch.allclose(golden, generated, atol=atol, rtol=rtol)
    return golden == generated


def _tbg(golden, generated, atol, rtol, ctx, path):
    if type(generated) in (list, tuple):
        ok = True
        for i, (g, c) in enumerate(zip(golden, generated)):
            value = _tbg(g, c, *TBG_NESTED_TOLERANCE, ctx, f"{path}[{i}]")
            ok &= value
            if not _true(value) and not ctx["first"]:
                ctx["first"] = f"{path}[{i}]"
        return ok
    if type(generated) is dict:
        return _tbg(list(golden.values()), list(generated.values()), atol, rtol, ctx, path + ".values()")
    return _tbg_leaf(golden, generated, atol, rtol, ctx["golden"], ctx["generated"])


def _true(value):
    """GEAK-eval prints the verdict and reads it back: only text "True" passes."""
    try:
        return str(value).strip().lower() == "true"
    except Exception:  # noqa: BLE001 - a value whose str() raises is no "True"
        return False


def tbg_verdict(golden, generated, atol, rtol):
    """(exec_ok, message) by GEAK-eval's TritonBench-revised comparison of two Decoded
    result_gold values."""
    g, c = golden.value, generated.value
    if c is None:
        return False, "the candidate's result_gold is None"
    if g is None:
        return False, "the golden file's result_gold is None"
    if type(c) != type(g):  # noqa: E721
        return False, f"result_gold is a {type(c).__name__}; the golden file's is a {type(g).__name__}"
    ctx = {"first": "", "golden": golden, "generated": generated}
    try:
        value = _tbg(g, c, atol, rtol, ctx, "result_gold")
    except Exception as e:  # noqa: BLE001 - GEAK-eval's comparison script dies with it
        return False, f"GEAK-eval's comparison raises {type(e).__name__}: {str(e)[:500]}"
    if _true(value):
        return True, ""
    where = ctx["first"] or "result_gold"
    return False, f"{where} differs from the golden file's under GEAK-eval's allclose"


# ---- GEAK-eval's ROCm comparison -------------------------------------------------------

def _rocm(golden, generated, atol, rtol, path):
    """(match, message) as GEAK-eval's compare_pt_files walks two values."""
    import torch

    if isinstance(generated, (list, tuple)):
        if not isinstance(golden, type(generated)):
            return False, f"type mismatch at {path}: golden {type(golden).__name__}, candidate {type(generated).__name__}"
        if len(golden) != len(generated):
            return False, f"length mismatch at {path}: golden {len(golden)}, candidate {len(generated)}"
        for i, (g, c) in enumerate(zip(golden, generated)):
            ok, why = _rocm(g, c, atol, rtol, f"{path}[{i}]")
            if not ok:
                return ok, why
        return True, ""
    if isinstance(generated, dict):
        if not isinstance(golden, dict):
            return False, f"type mismatch at {path}: golden {type(golden).__name__}, candidate dict"
        if set(golden) != set(generated):
            missing, extra = set(golden) - set(generated), set(generated) - set(golden)
            return False, (f"key mismatch at {path or 'result_gold'}: missing {sorted(map(str, missing))[:5]}, "
                           f"extra {sorted(map(str, extra))[:5]}")
        for key in golden:
            ok, why = _rocm(golden[key], generated[key], atol, rtol, f"{path}.{key}" if path else str(key))
            if not ok:
                return ok, why
        return True, ""
    if isinstance(generated, torch.Tensor):
        if not isinstance(golden, torch.Tensor):
            return False, f"type mismatch at {path}: golden {type(golden).__name__}, candidate tensor"
        if golden.shape != generated.shape:
            return False, f"shape mismatch at {path}: golden {tuple(golden.shape)}, candidate {tuple(generated.shape)}"
        try:
            torch.testing.assert_close(golden, generated, atol=atol, rtol=rtol)
        except Exception as e:  # noqa: BLE001 - assert_close's failure is the verdict
            return False, f"value mismatch at {path}: {str(e)[:500]}"
        return True, ""
    if type(golden) != type(generated):  # noqa: E721
        return False, f"type mismatch at {path}: golden {type(golden).__name__}, candidate {type(generated).__name__}"
    if golden != generated:
        return False, f"value mismatch at {path}: golden {golden!r}, candidate {generated!r}"
    return True, ""


def rocm_call_ok(generated):
    """GEAK-eval's ROCm call verdict: result_gold's _CALL_SUCCESS_ is non-zero."""
    import torch

    mark = generated.value.get(CALL_MARK) if isinstance(generated.value, dict) else None
    try:
        return bool(mark.item()) if isinstance(mark, torch.Tensor) else False
    except (RuntimeError, ValueError):
        return False


def rocm_verdict(golden, generated, atol, rtol):
    """(exec_ok, message) by GEAK-eval's ROCm comparison of two Decoded result_gold
    dicts (the call mark dropped from both)."""
    g, c = golden.value, generated.value
    if not isinstance(g, dict) or CALL_MARK not in g:
        return False, "the golden file's result_gold has no _CALL_SUCCESS_ entry"
    if not isinstance(c, dict) or CALL_MARK not in c:
        return False, "the candidate's result_gold has no _CALL_SUCCESS_ entry"
    g = {k: v for k, v in g.items() if k != CALL_MARK}
    c = {k: v for k, v in c.items() if k != CALL_MARK}
    try:
        return _rocm(g, c, atol, rtol, "")
    except Exception as e:  # noqa: BLE001 - GEAK-eval's comparison script dies with it
        return False, f"GEAK-eval's comparison raises {type(e).__name__}: {str(e)[:500]}"


# ---- This project's comparison ---------------------------------------------------------

def strict_compare(golden, generated, tolerances, skip=()):
    """Compares two Decoded values leaf by leaf (see the module's docstring). Returns
    (max_abs, max_rel, mismatch_fraction) over the tensors; raises EvaluationFailure
    naming the first path that differs. Top-level dict keys in `skip` are left out."""
    from failures import EvaluationFailure

    worst = [0.0, 0.0, 0.0]
    _strict(golden.value, generated.value, tolerances, golden, generated, "result_gold", worst, set(skip))
    return tuple(worst)


def _strict(g, c, tolerances, golden, generated, path, worst, skip):
    import numpy as np
    import torch

    import compare
    from failures import EvaluationFailure

    def structure(what):
        raise EvaluationFailure(verdicts.WRONG_OUTPUT_STRUCTURE, f"{path}: {what}")

    if type(g) is not type(c) and not (isinstance(g, Opaque) and isinstance(c, Opaque)):
        structure(f"the candidate's is a {type(c).__name__}; the golden file's is a {type(g).__name__}")
    if type(g) is dict:
        keys_g, keys_c = [k for k in g if k not in skip], [k for k in c if k not in skip]
        if set(keys_g) != set(keys_c):
            missing = [repr(k) for k in keys_g if k not in c][:5]
            extra = [repr(k) for k in keys_c if k not in g][:5]
            structure(f"keys differ from the golden file's (missing {', '.join(missing) or 'none'}; "
                      f"extra {', '.join(extra) or 'none'})")
        for k in keys_g:
            _strict(g[k], c[k], tolerances, golden, generated, f"{path}[{k!r}]", worst, set())
        return
    if isinstance(g, (list, tuple)) and not isinstance(g, torch.Size):
        if len(g) != len(c):
            structure(f"{len(c)} items; the golden file's has {len(g)}")
        for i, (a, b) in enumerate(zip(g, c)):
            _strict(a, b, tolerances, golden, generated, f"{path}[{i}]", worst, set())
        return
    if isinstance(g, (torch.Tensor, np.ndarray)) or (type(g) is float):
        if isinstance(g, torch.Tensor):
            if golden.device(g) != generated.device(c):
                raise EvaluationFailure(verdicts.WRONG_DEVICE, f"{path} is on {generated.device(c)}; the golden file's "
                                                               f"is on {golden.device(g)}")
            a, b = g, c
        elif isinstance(g, np.ndarray):
            if g.dtype != c.dtype:
                raise EvaluationFailure(verdicts.WRONG_DTYPE, f"{path} has dtype {c.dtype}; expected {g.dtype}")
            a, b = torch.from_numpy(np.array(g)), torch.from_numpy(np.array(c))
        else:
            a, b = torch.tensor(g, dtype=torch.float64), torch.tensor(c, dtype=torch.float64)
        try:
            got = compare.compare_outputs([b], [a], tolerances, "cpu")
        except EvaluationFailure as f:
            message = f.message.replace("output 0", path, 1)
            raise EvaluationFailure(f.kind, message if path in message else f"{path}: {message}")
        for i, v in enumerate(got):
            worst[i] = max(worst[i], v)
        return
    if g != c:
        raise EvaluationFailure(verdicts.WRONG_VALUES, f"{path} is {c!r}; the golden file's is {g!r}")

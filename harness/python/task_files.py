"""Loads the Python files of a task and of a candidate as modules.

Task files (reference.py, kernel.py) are trusted; a candidate is not, so loading it
separates the failure stages the taxonomy distinguishes: the source does not parse
(SYNTAX_ERROR), the module raises while importing (IMPORT_ERROR), the entry point is
missing (MISSING_ENTRY_POINT).
"""

import importlib.util
import sys
import traceback

import verdicts
from failures import EvaluationFailure


def load_module(path, module_name):
    """Executes the file at `path` as a fresh module called `module_name`."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            source = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise EvaluationFailure(verdicts.IMPORT_ERROR, f"cannot read {path}: {e}")
    try:
        compile(source, path, "exec")
    except SyntaxError as e:
        raise EvaluationFailure(
            verdicts.SYNTAX_ERROR, f"{path}:{e.lineno}:{e.offset or 0}: {e.msg}")
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    # Registered before execution: triton.jit and dataclasses look modules up by name.
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as e:  # noqa: BLE001 - a candidate may raise anything, SystemExit too
        if isinstance(e, KeyboardInterrupt):
            raise
        raise EvaluationFailure(
            verdicts.IMPORT_ERROR,
            f"importing {path} raised {type(e).__name__}: {e}\n{last_frames(e)}")
    return module


def entry_point(module, name, path):
    """Returns module.<name>, which must be callable."""
    fn = getattr(module, name, None)
    if fn is None or not callable(fn):
        raise EvaluationFailure(
            verdicts.MISSING_ENTRY_POINT,
            f"{path} defines no callable named '{name}' (the task's entry_point)")
    return fn


def require(module, names, path):
    """Checks that a trusted task file defines `names`; a miss is the task's fault."""
    for name in names:
        if not callable(getattr(module, name, None)):
            raise EvaluationFailure(verdicts.HARNESS_ERROR, f"{path} must define {name}()")


def last_frames(exc, limit=6):
    """The innermost frames of an exception's traceback, as text."""
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    text = "".join(lines)
    tail = text.splitlines()[-limit * 2:]
    return "\n".join(tail)

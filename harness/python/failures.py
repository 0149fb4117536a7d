"""The failure taxonomy as the worker raises it (names match FailureKind in
harness/proto/evaluation.proto) and the classification of exceptions a call raises."""

import traceback


class EvaluationFailure(Exception):
    """Ends an evaluation with a failure kind and a readable message.

    A kind "REJECTED_BY_CHECK:<check>" names the harness check that rejected the
    candidate (FailureKind REJECTED_BY_CHECK plus the result's `check` field)."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


def rejected(check, message):
    return EvaluationFailure("REJECTED_BY_CHECK:" + check, message)


def split_kind(kind):
    """"REJECTED_BY_CHECK:network" -> ("REJECTED_BY_CHECK", "network"); others -> (kind, "")."""
    name, _, check = kind.partition(":")
    return name, check


# Messages with which a GPU reports a fault that leaves its context unusable.
_GPU_FAULTS = ("illegal memory access", "misaligned address", "unspecified launch failure",
               "device-side assert", "illegal instruction", "hardware exception",
               "memory access fault")


def classify_call_exception(exc):
    """Maps an exception raised by a candidate's call to a FailureKind name.

    Compile errors are Triton's compiler errors, errors raised inside the compiler's
    own frames, and, in interpreter mode, errors raised while running a @triton.jit
    function (the interpreter is where a GPU build would have rejected the code).
    """
    import torch

    if isinstance(exc, (MemoryError, torch.OutOfMemoryError)):
        return "OUT_OF_MEMORY"
    text = str(exc).lower()
    if ("out of memory" in text and ("cuda" in text or "hip" in text)) or "can't allocate memory" in text:
        return "OUT_OF_MEMORY"
    if any(fault in text for fault in _GPU_FAULTS):
        return "CRASH"
    if isinstance(exc, PermissionError):
        # socket() refused by the candidate process's seccomp filter.
        for frame, _ in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.replace("\\", "/").endswith("/socket.py"):
                return "REJECTED_BY_CHECK:network"
    compile_types = []
    try:
        from triton.compiler.errors import CompilationError
        compile_types.append(CompilationError)
    except ImportError:
        pass
    try:
        from triton.runtime.errors import InterpreterError, OutOfResources
        compile_types += [InterpreterError, OutOfResources]
    except ImportError:
        pass
    if compile_types and isinstance(exc, tuple(compile_types)):
        return "COMPILE_ERROR"
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename.replace("\\", "/")
        if "/triton/compiler/" in filename or "/triton/backends/" in filename:
            return "COMPILE_ERROR"
    return "RUNTIME_ERROR"

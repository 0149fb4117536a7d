"""The failure taxonomy as the worker raises it (names match FailureKind in
harness/proto/evaluation.proto) and the classification of exceptions a call raises."""

import traceback

import verdicts


class EvaluationFailure(Exception):
    """Ends an evaluation with a failure kind and a readable message.

    A kind "REJECTED_BY_CHECK:<check>" names the harness check that rejected the
    candidate (FailureKind REJECTED_BY_CHECK plus the result's `check` field)."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


def rejected(check, message):
    return EvaluationFailure(verdicts.rejected_kind(check), message)


def split_kind(kind):
    """"REJECTED_BY_CHECK:network" -> ("REJECTED_BY_CHECK", "network"); others -> (kind, "")."""
    name, _, check = kind.partition(":")
    return name, check


def record_failure(into, kind, message):
    """Writes a failure into a result or case dict (EvaluationResult, CaseResult):
    failure_kind, message, and for a rejection the check's name. Returns `into`."""
    name, check = split_kind(kind)
    into["failure_kind"], into["message"] = name, message
    if check:
        into["check"] = check
    return into


def failure_of(record):
    """The EvaluationFailure a result or case dict records (record_failure's inverse)."""
    kind = verdicts.rejected_kind(record["check"]) if record.get("check") else record["failure_kind"]
    return EvaluationFailure(kind, record.get("message", ""))


def copy_failure(into, source):
    """The failure of the dict `source` (a case) written into the dict `into` (its result)."""
    failure = failure_of(source)
    return record_failure(into, failure.kind, failure.message)


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
        return verdicts.OUT_OF_MEMORY
    text = str(exc).lower()
    if ("out of memory" in text and ("cuda" in text or "hip" in text)) or "can't allocate memory" in text:
        return verdicts.OUT_OF_MEMORY
    if any(fault in text for fault in _GPU_FAULTS):
        return verdicts.CRASH
    if isinstance(exc, PermissionError):
        # socket() refused by the candidate process's seccomp filter.
        for frame, _ in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.replace("\\", "/").endswith("/socket.py"):
                return verdicts.rejected_kind(verdicts.NETWORK)
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
        return verdicts.COMPILE_ERROR
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename.replace("\\", "/")
        if "/triton/compiler/" in filename or "/triton/backends/" in filename:
            return verdicts.COMPILE_ERROR
    return verdicts.RUNTIME_ERROR

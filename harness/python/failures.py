"""The failure taxonomy as the worker raises it (names match FailureKind in
harness/proto/evaluation.proto) and the classification of exceptions a call raises."""

import traceback


class EvaluationFailure(Exception):
    """Ends an evaluation with a failure kind and a readable message."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


def classify_call_exception(exc):
    """Maps an exception raised by a candidate's call to a FailureKind name.

    Compile errors are Triton's compiler errors, errors raised inside the compiler's
    own frames, and, in interpreter mode, errors raised while running a @triton.jit
    function (the interpreter is where a GPU build would have rejected the code).
    """
    import torch

    if isinstance(exc, (MemoryError, torch.OutOfMemoryError)):
        return "OUT_OF_MEMORY"
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

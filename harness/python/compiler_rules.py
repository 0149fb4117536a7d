"""Rules that Triton's GPU compiler enforces and its CPU interpreter (TRITON_INTERPRET=1)
does not, checked on a module's kernels, so that a verdict reached on the CPU says what
a GPU would say.

Why: a kernel that passes every interpreter test may read a plain float global
(`LOG2E = 1.4426...`) and still fail to compile on a GPU ("Cannot access global
variable LOG2E from within @jit'ed function"). Triton (3.6,
compiler/code_generator.py, global_lookup) lets a kernel read only globals that are
tl.constexpr values, modules, other kernels, triton.language objects, dtypes and
namedtuples; anything else must be written `NAME = tl.constexpr(value)` or passed in.
"""

import ast
import inspect
import textwrap
import types

import verdicts
from failures import EvaluationFailure


def _kernel_interface():
    from triton.runtime.jit import KernelInterface

    return KernelInterface


def kernel_functions(module):
    """{name: Python function} of the module's Triton kernels (jit functions, whether
    wrapped by autotune/heuristics or not), defined in the module itself."""
    interface = _kernel_interface()
    out = {}
    for name, value in vars(module).items():
        fn = value
        while isinstance(fn, interface) and hasattr(fn, "fn"):
            fn = fn.fn
        if fn is not value and inspect.isfunction(fn) and fn.__module__ == module.__name__:
            out[name] = fn
    return out


def _allowed_global(value):
    import triton.language as tl

    module = getattr(value, "__module__", "") or ""
    return (isinstance(value, (types.ModuleType, tl.constexpr, tl.dtype, _kernel_interface())) or
            getattr(value, "__triton_builtin__", False) or getattr(value, "__triton_aggregate__", False) or
            module.startswith(("triton.language", "triton.experimental.gluon.language")) or
            (isinstance(value, type) and issubclass(value, tuple) and hasattr(value, "_fields")) or
            (isinstance(value, tuple) and hasattr(value, "_fields")))


def _globals_read(fn):
    """Names the function's body reads and does not bind itself (its free globals)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return []
    node = tree.body[0]
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return []
    args = node.args
    bound = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    bound |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    read = []
    for stmt in node.body:  # the body only: defaults and annotations may read any global
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name):
                if isinstance(sub.ctx, ast.Load):
                    read.append(sub.id)
                else:
                    bound.add(sub.id)
    return [name for name in dict.fromkeys(read) if name not in bound]


def non_constexpr_globals(module):
    """[(kernel, global name, type name)] for each global a kernel of `module` reads that
    the GPU compiler would refuse."""
    found = []
    for kernel, fn in kernel_functions(module).items():
        scope = fn.__globals__
        for name in _globals_read(fn):
            if name in scope and not _allowed_global(scope[name]):
                found.append((kernel, name, type(scope[name]).__name__))
    return found


def check_module(module, path):
    """Raises COMPILE_ERROR, as a GPU's compile would, when a kernel of `module` reads a
    global that the compiler refuses."""
    found = non_constexpr_globals(module)
    if found:
        listed = ", ".join(f"{kernel} reads {name} (a plain {kind})" for kernel, name, kind in found)
        raise EvaluationFailure(
            verdicts.COMPILE_ERROR,
            f"{path}: {listed}: Triton's GPU compiler refuses globals that are not tl.constexpr inside "
            "@triton.jit functions (the CPU interpreter does not check); write NAME = tl.constexpr(value) "
            "or pass the value as an argument")

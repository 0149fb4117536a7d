"""The part of pytest the ROCm suite's test code uses, and a runner for it: how the
harness runs a ROCm task's tests (upstream_candidate.py) without pytest installed, the
same way in the candidate's process and in the yardstick's.

`module()` is what `import pytest` gives the test code: mark.parametrize (stacked
ones multiply, as in pytest), mark.skipif / skip, any other mark as a no-op, skip(),
fail(), raises(), fixture (plain and generator fixtures), param(). `collect()` lists a
module's test functions in definition order, expanded over their parameters, each named
as pytest names it (`test_add[98432-1024-float16]`: one id per argument, values as
text, other objects as argname plus index, the first parametrize decorator above the
function first); `Item.run()` calls one with its arguments and fixtures (`request`
with `.node.name`, `monkeypatch`, `tmp_path`, and the module's own fixtures).
"""

import contextlib
import inspect
import itertools
import os
import re
import tempfile
import types


class Skipped(Exception):
    """pytest.skip() or a skip mark."""


class Failed(AssertionError):
    """pytest.fail()."""


class Mark:
    def __init__(self, name, args=(), kwargs=None):
        self.name, self.args, self.kwargs = name, tuple(args), dict(kwargs or {})

    def __call__(self, *args, **kwargs):
        # A bare mark used as a decorator applies itself; called otherwise, a new mark.
        if len(args) == 1 and not kwargs and callable(args[0]) and not self.args and not self.kwargs:
            fn = args[0]
            fn.pytestmark = list(getattr(fn, "pytestmark", [])) + [self]
            return fn
        return _MarkDecorator(Mark(self.name, args, kwargs))


class _MarkDecorator:
    def __init__(self, mark):
        self.mark = mark

    def __call__(self, fn):
        fn.pytestmark = list(getattr(fn, "pytestmark", [])) + [self.mark]
        return fn


class _MarkGenerator:
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Mark(name)


class ParameterSet:
    def __init__(self, values, id=None, marks=()):
        self.values, self.id, self.marks = tuple(values), id, marks


def param(*values, id=None, marks=()):  # noqa: A002 - pytest's name
    return ParameterSet(values, id, marks)


def skip(reason="", allow_module_level=False):
    raise Skipped(reason)


def fail(reason="", pytrace=True):
    raise Failed(reason)


@contextlib.contextmanager
def raises(expected, match=None):
    try:
        yield
    except expected as e:
        if match and not re.search(match, str(e)):
            raise Failed(f"{e!r} does not match {match!r}")
        return
    raise Failed(f"DID NOT RAISE {expected}")


def fixture(fn=None, *, scope="function", params=None, autouse=False, name=None):
    def mark(f):
        f._tb_fixture = {"name": name or f.__name__, "autouse": autouse}
        return f

    return mark(fn) if fn is not None else mark


def module():
    """A fresh `pytest` module for one run of test code."""
    m = types.ModuleType("pytest")
    m.__dict__.update(mark=_MarkGenerator(), param=param, skip=skip, fail=fail, raises=raises, fixture=fixture,
                      Skipped=Skipped, Failed=Failed)
    m.skip.Exception = Skipped
    return m


def _idval(value, argname, index):
    """pytest's id of one parameter value."""
    import enum

    if isinstance(value, str):
        return value.encode("unicode_escape").decode("ascii")
    if isinstance(value, bytes):
        return value.decode("ascii", "backslashreplace")
    if value is None or isinstance(value, (bool, int, float, complex)) or isinstance(value, enum.Enum):
        return str(value)
    if isinstance(getattr(value, "__name__", None), str):
        return value.__name__
    return f"{argname}{index}"


def _unique(ids):
    """pytest's rule for repeated ids: each occurrence gets its counter appended."""
    counts = {i: 0 for i in ids}
    repeated = {i for i in ids if ids.count(i) > 1}
    out = []
    for i in ids:
        if i in repeated:
            out.append(f"{i}{counts[i]}")
            counts[i] += 1
        else:
            out.append(i)
    return out


def _expand(mark):
    """[(ids, {argname: value}, skip reason or None)] of one parametrize mark."""
    argnames = mark.args[0] if mark.args else mark.kwargs["argnames"]
    values = mark.args[1] if len(mark.args) > 1 else mark.kwargs["argvalues"]
    if isinstance(argnames, str):
        argnames = [a.strip() for a in argnames.split(",") if a.strip()]
    explicit = mark.kwargs.get("ids")
    sets, ids = [], []
    for index, value in enumerate(values):
        marks = ()
        given = None
        if isinstance(value, ParameterSet):
            value, given, marks = value.values, value.id, value.marks
        elif len(argnames) == 1:
            value = (value,)
        value = tuple(value)
        if explicit is not None and index < len(explicit) and explicit[index] is not None and given is None:
            given = explicit[index] if not callable(explicit) else None
        if given is None and callable(explicit):
            given = "-".join(str(explicit(v)) for v in value)
        ids.append(given if given is not None else "-".join(_idval(v, a, index) for a, v in zip(argnames, value)))
        reason = None
        for m in marks if isinstance(marks, (list, tuple)) else [marks]:
            m = m.mark if isinstance(m, _MarkDecorator) else m
            if m.name == "skip" or (m.name == "skipif" and m.args and m.args[0]):
                reason = m.kwargs.get("reason", "skipped by mark")
        sets.append((dict(zip(argnames, value)), reason))
    return [([i], params, reason) for i, (params, reason) in zip(_unique(ids), sets)]


class Item:
    """One test: a function and its parameters."""

    def __init__(self, fn, name, params, skip_reason, namespace):
        self.fn, self.name, self.params, self.skip_reason, self.namespace = fn, name, params, skip_reason, namespace

    def run(self, tmp_root):
        """Runs the test. Returns (outcome, detail): ("passed", ""), ("skipped", reason),
        ("failed", message) for an AssertionError (the test's own check), or ("error",
        the exception) for any other."""
        if self.skip_reason is not None:
            return "skipped", self.skip_reason
        finalizers = []
        try:
            kwargs = self._arguments(tmp_root, finalizers)
            self.fn(**kwargs)
            return "passed", ""
        except Skipped as e:
            return "skipped", str(e)
        except AssertionError as e:
            return "failed", f"{type(e).__name__}: {str(e)[:1000]}"
        except BaseException as e:  # noqa: BLE001 - a test's exception is its outcome
            if isinstance(e, KeyboardInterrupt):
                raise
            return "error", e
        finally:
            for undo in reversed(finalizers):
                try:
                    undo()
                except Exception:  # noqa: BLE001 - a fixture's teardown does not decide the test
                    pass

    def _arguments(self, tmp_root, finalizers):
        wanted = [p.name for p in inspect.signature(self.fn).parameters.values()
                  if p.default is inspect.Parameter.empty or p.name in self.params]
        cache = {}
        return {name: self._fixture(name, tmp_root, finalizers, cache, ()) for name in wanted}

    def _fixture(self, name, tmp_root, finalizers, cache, stack):
        if name in self.params:
            return self.params[name]
        if name in cache:
            return cache[name]
        if name == "request":
            value = types.SimpleNamespace(node=types.SimpleNamespace(name=self.name, nodeid=self.name),
                                          function=self.fn, param=None, config=None)
        elif name == "monkeypatch":
            value = _MonkeyPatch()
            finalizers.append(value.undo)
        elif name in ("tmp_path", "tmpdir"):
            import pathlib

            value = pathlib.Path(tempfile.mkdtemp(prefix="tmp-", dir=tmp_root))
        else:
            fn = next((v for v in self.namespace.values() if getattr(v, "_tb_fixture", {}).get("name") == name), None)
            if fn is None or name in stack:
                raise LookupError(f"fixture '{name}' not found")
            args = {p: self._fixture(p, tmp_root, finalizers, cache, stack + (name,))
                    for p, spec in inspect.signature(fn).parameters.items() if spec.default is inspect.Parameter.empty}
            value = fn(**args)
            if inspect.isgenerator(value):
                gen = value
                value = next(gen)
                finalizers.append(lambda: next(gen, None))
        cache[name] = value
        return value


class _MonkeyPatch:
    def __init__(self):
        self._undo = []

    def setenv(self, name, value, prepend=None):
        old = os.environ.get(name)
        os.environ[name] = str(value)
        self._undo.append(lambda: os.environ.__setitem__(name, old) if old is not None else os.environ.pop(name, None))

    def delenv(self, name, raising=True):
        if name not in os.environ:
            if raising:
                raise KeyError(name)
            return
        old = os.environ.pop(name)
        self._undo.append(lambda: os.environ.__setitem__(name, old))

    def setattr(self, target, name, value=None, raising=True):
        old = getattr(target, name)
        setattr(target, name, value)
        self._undo.append(lambda: setattr(target, name, old))

    def undo(self):
        for step in reversed(self._undo):
            step()
        self._undo = []


def _condition(value, namespace):
    if isinstance(value, str):
        return bool(eval(value, dict(namespace)))  # noqa: S307 - pytest evaluates string conditions too
    return bool(value)


def collect(namespace):
    """The test items of a module's namespace, in definition order."""
    items = []
    for name, fn in list(namespace.items()):
        if not name.startswith("test") or not inspect.isfunction(fn) or hasattr(fn, "_tb_fixture"):
            continue
        marks = list(getattr(fn, "pytestmark", []))
        skip_reason = None
        for m in marks:
            if m.name == "skip":
                skip_reason = m.kwargs.get("reason", m.args[0] if m.args else "skipped by mark")
            elif m.name == "skipif" and m.args and _condition(m.args[0], namespace):
                skip_reason = m.kwargs.get("reason", "skipped by skipif")
        expansions = [_expand(m) for m in marks if m.name == "parametrize"]
        if not expansions:
            items.append(Item(fn, name, {}, skip_reason, namespace))
            continue
        for combo in itertools.product(*expansions):
            ids, params, reason = [], {}, skip_reason
            for part_ids, part_params, part_reason in combo:
                ids += part_ids
                params.update(part_params)
                reason = reason if reason is not None else part_reason
            items.append(Item(fn, f"{name}[{'-'.join(ids)}]", params, reason, namespace))
    return items

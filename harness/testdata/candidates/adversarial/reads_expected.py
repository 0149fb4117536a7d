# RUNTIME_ERROR ("nothing leaked"): looks everywhere a harness might leave what the
# candidate is compared against (environment, the parent's command line and request
# file, the parent's memory and file descriptors, files near its working folder) and
# raises, listing what it found. The judge keeps the expected outputs in its own
# memory, deletes its request once read and is non-dumpable.
import glob
import os


def _try(what, fn, found):
    try:
        value = fn()
        if value:
            found.append(what)
    except OSError:
        pass


def vector_addition(x, y):
    found = []
    parent = os.getppid()
    for key, value in os.environ.items():
        if any(word in key.upper() for word in ("EXPECT", "REFERENCE", "RESULT", "TOKEN")):
            found.append(f"env {key}")
    _try("parent environ token", lambda: b"result_token" in open(f"/proc/{parent}/environ", "rb").read(), found)
    try:
        cmdline = open(f"/proc/{parent}/cmdline", "rb").read().split(b"\0")
    except OSError:
        cmdline = []
    for arg in cmdline:
        if arg.endswith(b".json"):
            _try("request file", lambda: open(arg, "rb").read(), found)
    _try("parent memory", lambda: open(f"/proc/{parent}/mem", "rb").read(1), found)
    try:
        descriptors = os.listdir(f"/proc/{parent}/fd")  # allowed to root; opening them is not
    except OSError:
        descriptors = []
    for fd in descriptors:
        _try(f"parent descriptor {fd}", lambda: os.readlink(f"/proc/{parent}/fd/{fd}"), found)
    for pattern in ("../*.json", "../*/*.json", "../*expected*", "../*/*expected*", "../*reference*.pt"):
        for path in glob.glob(pattern):
            _try(f"file {path}", lambda: open(path, "rb").read(1), found)
    if found:
        raise RuntimeError("LEAKED: " + ", ".join(found))
    raise RuntimeError("nothing leaked")

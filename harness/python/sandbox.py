"""Process-level defences for the judge and the candidate process (Linux only).

The judge (worker.py) makes itself non-dumpable (no other process of its user without
CAP_SYS_PTRACE can read its memory or open its file descriptors through /proc) and a
child subreaper (a candidate's orphaned or setsid-escaped descendants are re-parented
to it, so it can find and kill them); the processes it forks (the candidate's, the
yardstick's) inherit non-dumpability. The candidate process loses the network (an
empty network namespace where permitted, and always a seccomp filter that refuses
AF_INET/AF_INET6 sockets) and every capability, with no_new_privs so that no exec can
regain them. Where the kernel has Landlock, it may write only in its own folder, in
/dev/shm and to device files (/dev: the GPU; its context is made before the
confinement), so it cannot plant code in the tree, the task folders or
the yardstick's compile cache, and it may not signal processes outside its own
(the judge, the yardstick).

Each step is best-effort where the kernel refuses it; `isolate_candidate()` says which
steps took effect, and the judge reports that list.
"""

import ctypes
import errno
import os
import platform
import signal
import struct

_libc = ctypes.CDLL(None, use_errno=True)
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_SECCOMP = 22
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
CLONE_NEWNET = 0x40000000

# (AUDIT_ARCH, __NR_socket) of the architectures the filter knows.
_ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}


def _prctl(option, arg2=0, arg3=0, arg4=0, arg5=0):
    if _libc.prctl(option, arg2, arg3, arg4, arg5) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def protect_judge():
    """Non-dumpable and a child subreaper. Returns the names of the steps that worked."""
    done = []
    for name, option, value in (("non_dumpable", PR_SET_DUMPABLE, 0),
                                ("subreaper", PR_SET_CHILD_SUBREAPER, 1)):
        try:
            _prctl(option, value)
            done.append(name)
        except OSError:
            pass
    return done


def die_with_parent():
    """SIGKILL for the calling process when its parent ends: a runner killed with SIGKILL
    takes the judge along (harness/limited_process.cc), the judge its candidate process."""
    try:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


def _seccomp_no_inet():
    """Installs a filter: socket(AF_INET|AF_INET6, ...) fails with EPERM; so does any
    syscall of another ABI (x32, 32-bit), which could bypass the check."""
    arch = _ARCHES.get(platform.machine())
    if arch is None:
        raise OSError(errno.ENOSYS, f"no seccomp filter for {platform.machine()}")
    audit_arch, nr_socket = arch
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | errno.EPERM
    program = [
        (ld, 0, 0, 4),                 # 0: A = arch
        (jeq, 1, 0, audit_arch),       # 1: native ABI -> 3
        (ret, 0, 0, deny),             # 2: another ABI: refuse
        (ld, 0, 0, 0),                 # 3: A = syscall number
        (jge, 5, 0, 0x40000000),       # 4: x32 numbers -> 10 (deny)
        (jeq, 0, 3, nr_socket),        # 5: socket -> 6, else -> 9 (allow)
        (ld, 0, 0, 16),                # 6: A = low word of args[0] (the family)
        (jeq, 2, 0, 2),                # 7: AF_INET -> 10
        (jeq, 1, 0, 10),               # 8: AF_INET6 -> 10
        (ret, 0, 0, allow),            # 9
        (ret, 0, 0, deny),             # 10
    ]
    raw = b"".join(struct.pack("HBBI", *insn) for insn in program)
    buf = ctypes.create_string_buffer(raw, len(raw))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(program), ctypes.addressof(buf))
    _prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog))


def _drop_capabilities():
    """Empties the bounding set and the permitted/effective/inheritable sets."""
    if os.geteuid() != 0:
        return
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == errno.EINVAL:
            break
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # two empty __user_cap_data_struct
    sys_capset = {"x86_64": 126, "aarch64": 91}.get(platform.machine())
    if sys_capset is None or _libc.syscall(sys_capset, header, data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


# Landlock (linux/landlock.h): syscall numbers (the same on x86_64 and aarch64), rights.
_SYS_LANDLOCK_CREATE_RULESET, _SYS_LANDLOCK_ADD_RULE, _SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_FS_WRITE_FILE = 1 << 1
# Every right that changes the file system, by the ABI version that introduced it.
_FS_CHANGES = {1: sum(1 << b for b in (1, 4, 5, 6, 7, 8, 9, 10, 11, 12)), 2: 1 << 13, 3: 1 << 14}
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1, 2


def landlock_abi():
    """The kernel's Landlock ABI version, 0 where it has none."""
    _libc.syscall.restype = ctypes.c_long
    version = _libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0),
                            ctypes.c_uint32(_LANDLOCK_CREATE_RULESET_VERSION))
    return max(0, int(version))


def _landlock_writes_only_in(folders, devices="/dev"):
    """Restricts this process (and what it starts) to writing in `folders` and
    /dev/shm (GPU runtimes keep shared memory there) and to opening files under
    `devices` for writing; with ABI 6, also to signalling and connecting to abstract
    sockets of processes inside its own domain. Returns the step names that took
    effect."""
    abi = landlock_abi()
    if abi < 1:
        raise OSError(errno.ENOSYS, "no Landlock")
    handled = sum(rights for version, rights in _FS_CHANGES.items() if version <= abi)
    scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL if abi >= 6 else 0
    # struct landlock_ruleset_attr grew with the ABI: fs (v1), net (v4), scoped (v6).
    attr = struct.pack("QQQ", handled, 0, scoped)[:24 if abi >= 6 else 16 if abi >= 4 else 8]
    buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = _libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, buf, ctypes.c_size_t(len(attr)), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    try:
        shared_memory = [("/dev/shm", handled)] if os.path.isdir("/dev/shm") else []
        for path, rights in [(f, handled) for f in folders] + [(devices, _FS_WRITE_FILE)] + shared_memory:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = struct.pack("=Qi", rights, fd)  # packed landlock_path_beneath_attr
                rule_buf = ctypes.create_string_buffer(rule, len(rule))
                if _libc.syscall(_SYS_LANDLOCK_ADD_RULE, ctypes.c_int(ruleset),
                                 ctypes.c_int(_LANDLOCK_RULE_PATH_BENEATH), rule_buf, ctypes.c_uint32(0)) != 0:
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
            finally:
                os.close(fd)
        if _libc.syscall(_SYS_LANDLOCK_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return ["landlock_writes"] + (["landlock_signal_scope"] if scoped else [])


def isolate_candidate(writable=()):
    """Applied in the candidate process before the candidate is imported; `writable`
    are the folders it may write in. Returns the names of the steps that took effect."""
    done = []
    try:
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
        done.append("no_new_privs")
    except OSError:
        pass
    if writable:
        try:
            done += _landlock_writes_only_in(writable)
        except OSError:
            pass
    if _libc.unshare(CLONE_NEWNET) == 0:
        done.append("network_namespace")
    try:
        _seccomp_no_inet()
        done.append("seccomp_no_inet")
    except OSError:
        pass
    try:
        _drop_capabilities()
        done.append("no_capabilities")
    except OSError:
        pass
    return done


def _parents():
    """{pid: parent pid} of every living process visible in /proc. Zombies (exited,
    not yet reaped by their parent) are left out: they run nothing, so they are neither
    counted nor killed (harness/limited_process.cc's Alive says the same)."""
    parents = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                line = f.read()
        except OSError:
            continue
        fields = line[line.rfind(b")") + 2:].split()
        if len(fields) > 1 and fields[0] not in (b"Z", b"X"):
            parents[int(name)] = int(fields[1])
    return parents


def descendants(root):
    """Pids of every living descendant of `root` (not `root` itself)."""
    children = {}
    for pid, ppid in _parents().items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def reap():
    """Collects exited children (re-parented orphans included) without blocking."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_descendants(root, keep=(), spare=()):
    """SIGKILLs every descendant of `root` except the pids in `keep` themselves (their
    own descendants die too) and the pids in `spare` with all their descendants, until
    none is left. Returns how many were killed."""
    killed = 0
    for _ in range(50):
        spared = set(spare)
        for pid in spare:
            spared.update(descendants(pid))
        victims = [p for p in descendants(root) if p not in keep and p not in spared]
        if not victims:
            break
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
        reap()
    reap()
    return killed

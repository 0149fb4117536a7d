#!/usr/bin/env python3
"""Checks the image definitions against the tree, without building them (CI has no
registry and no Docker daemon):

    docker/image_check.py [--root=.]

For docker/Dockerfile.rocm and docker/Dockerfile.cuda: every base image is pinned (an
exact tag other than `latest`, or a digest), whether named directly or through an ARG
default; every COPY/ADD source exists in the build context and is not left out by
.dockerignore; every repository script a RUN or CMD runs exists and is executable; the
image runs as a non-root user and declares the run folder a volume. For
docker/tritonbench.def (Apptainer): the same bases as the Dockerfiles, every %files
source exists, the scripts %post/%test run exist. For docker/build_inside.sh: the
package list it reads from tools/setup.sh is there, and so are the Bazel targets
tools/package_binaries.sh builds. Prints one line per problem, naming the file and
line; exit status 1 if there is any.
"""

import argparse
import fnmatch
import os
import re
import sys

DOCKERFILES = ("docker/Dockerfile.rocm", "docker/Dockerfile.cuda")
APPTAINER = "docker/tritonbench.def"
# A repository path a RUN, CMD, %post or %test runs: docker/x.sh, tools/doctor, ...
SCRIPT = re.compile(r"(?<![\w/.-])((?:docker|tools|harness|baselines)/[\w.-]+(?:/[\w.-]+)*)")


class Problems:
    def __init__(self):
        self.items = []

    def add(self, where, text):
        self.items.append(f"{where}: {text}")


def pinned(image):
    """An exact tag other than latest, or a digest."""
    if "@sha256:" in image:
        return True
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag not in ("", "latest")


def instructions(path):
    """[(line number, keyword, argument text)] of a Dockerfile, continuations joined."""
    out, pending, start = [], "", 0
    with open(path) as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if not pending:
                start = number
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            text = (pending + line).strip()
            pending = ""
            keyword, _, rest = text.partition(" ")
            out.append((start, keyword.upper(), rest.strip()))
    return out


def dockerignore(root):
    try:
        with open(os.path.join(root, ".dockerignore")) as f:
            return [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    except OSError:
        return []


def ignored(path, patterns):
    parts = path.strip("/").split("/")
    for p in patterns:
        p = p.rstrip("/")
        for i in range(1, len(parts) + 1):
            if fnmatch.fnmatch("/".join(parts[:i]), p) or (p.startswith("**/") and fnmatch.fnmatch(parts[i - 1], p[3:])):
                return True
    return False


def check_scripts(root, where, text, problems):
    for script in SCRIPT.findall(text):
        full = os.path.join(root, script)
        if not os.path.isfile(full):
            problems.add(where, f"runs {script}, which is not in the tree")
        elif not os.access(full, os.X_OK):
            problems.add(where, f"runs {script}, which is not executable")


def check_dockerfile(root, rel, problems):
    path = os.path.join(root, rel)
    args, stages, bases, user, volume = {}, set(), [], None, False
    patterns = dockerignore(root)
    for number, keyword, rest in instructions(path):
        where = f"{rel}:{number}"
        if keyword == "ARG":
            name, _, default = rest.partition("=")
            args[name.strip()] = default.strip()
        elif keyword == "FROM":
            words = rest.split()
            image = words[0]
            if len(words) >= 3 and words[1].upper() == "AS":
                stages.add(words[2])
            m = re.fullmatch(r"\$\{?(\w+)\}?", image)
            resolved = args.get(m.group(1), "") if m else image
            if m and not resolved:
                problems.add(where, f"FROM {image}: the ARG has no default")
            elif resolved not in stages and not pinned(resolved):
                problems.add(where, f"FROM {resolved}: not pinned to an exact tag or digest")
            bases.append(resolved)
            user = None
        elif keyword in ("COPY", "ADD"):
            words = [w for w in rest.split() if not w.startswith("--chown") and not w.startswith("--chmod")]
            if words and words[0].startswith("--from="):
                if words[0].split("=", 1)[1] not in stages:
                    problems.add(where, f"{keyword} {words[0]}: no such stage")
                continue
            for src in words[:-1]:
                if not os.path.exists(os.path.join(root, src)):
                    problems.add(where, f"{keyword} {src}: not in the build context")
                elif src not in (".", "./") and ignored(src, patterns):
                    problems.add(where, f"{keyword} {src}: left out by .dockerignore")
        elif keyword in ("RUN", "CMD", "ENTRYPOINT"):
            check_scripts(root, where, rest, problems)
        elif keyword == "USER":
            user = rest.split(":")[0]
        elif keyword == "VOLUME":
            volume = True
    if user in (None, "root", "0"):
        problems.add(rel, "the image runs as root: end with USER <non-root>")
    if not volume:
        problems.add(rel, "no VOLUME for the run folder")
    return bases


def check_apptainer(root, rel, dockerfile_bases, problems):
    path = os.path.join(root, rel)
    with open(path) as f:
        lines = f.read().splitlines()
    section, from_stage, arguments, froms = "", False, {}, []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        where = f"{rel}:{number}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("%"):
            section = line.split()[0]
            from_stage = "from" in line.split()[1:2]
            continue
        if re.match(r"^(Bootstrap|From|Stage):", line):
            section = ""
            if line.startswith("From:"):
                froms.append((where, line.split(":", 1)[1].strip()))
            continue
        if section == "%arguments":
            name, _, value = line.partition("=")
            arguments[name.strip()] = value.strip()
        elif section == "%files" and not from_stage:
            src = line.split()[0]
            if not os.path.exists(os.path.join(root, src)):
                problems.add(where, f"%files {src}: not in the tree")
        elif section in ("%post", "%test", "%runscript"):
            # Paths inside the image (/src/..., /opt/tritonbench/...) are the tree's.
            check_scripts(root, where, line.replace("/src/", "").replace("/opt/tritonbench/", ""), problems)
    resolved = []
    for where, image in froms:
        m = re.fullmatch(r"\{\{\s*(\w+)\s*\}\}", image)
        image = arguments.get(m.group(1), "") if m else image
        if not pinned(image):
            problems.add(where, f"From: {image or '(no %arguments default)'}: not pinned to an exact tag or digest")
        resolved.append(image)
    if resolved and dockerfile_bases and resolved != dockerfile_bases:
        problems.add(rel, f"bases {resolved} differ from docker/Dockerfile.rocm's {dockerfile_bases}")


def check_build_script(root, problems):
    rel = "docker/build_inside.sh"
    with open(os.path.join(root, rel)) as f:
        for number, line in enumerate(f, 1):
            code = re.sub(r"(^|\s)#.*", "", line)  # comments name files it does not run
            check_scripts(root, f"{rel}:{number}", code, problems)
    with open(os.path.join(root, "tools", "setup.sh")) as f:
        m = re.search(r"^packages=\(([^)]*)\)", f.read(), re.M)
    if not m or "bazel-bootstrap" not in m.group(1).split():
        problems.add("tools/setup.sh", "no packages=(...) list naming bazel-bootstrap, which docker/build_inside.sh reads")
    with open(os.path.join(root, "tools", "package_binaries.sh")) as f:
        m = re.search(r"^binaries=\(([^)]*)\)", f.read(), re.M)
    with open(os.path.join(root, "tools", "BUILD")) as f:
        targets = set(re.findall(r'name = "([^"]+)"', f.read()))
    for binary in (m.group(1).split() if m else []):
        if binary not in targets:
            problems.add("tools/package_binaries.sh", f"builds //tools:{binary}, which tools/BUILD does not define")
    if not m:
        problems.add("tools/package_binaries.sh", "no binaries=(...) list")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    args = parser.parse_args()
    problems = Problems()
    bases = {rel: check_dockerfile(args.root, rel, problems) for rel in DOCKERFILES}
    check_apptainer(args.root, APPTAINER, bases["docker/Dockerfile.rocm"], problems)
    check_build_script(args.root, problems)
    for item in problems.items:
        print(item)
    print(f"image_check: {len(DOCKERFILES)} Dockerfiles, 1 Apptainer definition: {len(problems.items)} problem(s)")
    return 1 if problems.items else 0


if __name__ == "__main__":
    sys.exit(main())

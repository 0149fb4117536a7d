# RUNTIME_ERROR: leaves a tree built to trip whatever removes it: nesting deeper than
# PATH_MAX, read-only files, folders with mode 000 (its own folder last), and links
# (symbolic, relative and absolute, and hard) to a folder and a file outside the scratch
# root, `tb-leak-test-outside` beside one of its ancestors, which must stay intact
# (tools/scratch_leak_test.sh).
import os

OUTSIDE = "tb-leak-test-outside"


def _outside():
    here = os.getcwd()
    while here != "/":
        here = os.path.dirname(here)
        if os.path.isdir(os.path.join(here, OUTSIDE)):
            return os.path.join(here, OUTSIDE)
    return None


def _plant_links(outside):
    if outside is None:
        return
    os.symlink(outside, "outside-abs")
    os.symlink(os.path.relpath(outside), "outside-rel")
    os.symlink(os.path.join(outside, "keep.txt"), "outside-file")
    try:
        os.link(os.path.join(outside, "keep.txt"), "outside-hardlink")
    except OSError:
        pass  # another file system


def _deep_tree(depth):
    start = os.open(".", os.O_RDONLY)
    for level in range(depth):
        os.mkdir("dddd")
        os.chdir("dddd")
        if level % 100 == 0:
            with open("ro.txt", "w") as f:
                f.write("read-only")
            os.chmod("ro.txt", 0o400)
            os.symlink("..", "up")
        if level % 300 == 150:
            os.chmod("..", 0)  # its parent: mode 000, and the tree goes on below it
    os.fchdir(start)
    os.close(start)


def vector_addition(x, y):
    _plant_links(_outside())
    os.mkdir("wide")
    for i in range(500):
        with open(f"wide/f{i}", "w") as f:
            f.write("x")
    os.chmod("wide", 0o500)
    _deep_tree(1100)  # 5 characters a level: past PATH_MAX (4096)
    os.makedirs("locked/inner")
    with open("locked/inner/secret.txt", "w") as f:
        f.write("x")
    os.chmod("locked/inner", 0)
    os.chmod("locked", 0)
    os.chmod(".", 0)
    raise RuntimeError("the folder is trapped")

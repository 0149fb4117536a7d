"""The triton_task macro: one task folder becomes one test target.

    triton_task(name = "vector_addition")

in suites/<suite>/BUILD makes //suites/<suite>:vector_addition, the task folder's files
(for runners and other targets), and //suites/<suite>:vector_addition_test, a test that
evaluates the task's ground truth (<name>/kernel.py) against its spec and PyTorch
reference. (The test cannot share the folder's name: its executable would collide
with the folder in the runfiles tree.)
"""

def triton_task(name, size = "medium", tags = []):
    native.filegroup(
        name = name,
        srcs = native.glob([name + "/*"]),
        visibility = ["//visibility:public"],
    )
    native.sh_test(
        name = name + "_test",
        size = size,
        srcs = ["//harness:task_test.sh"],
        args = [
            "$(location //tools:evaluate)",
            "--task=%s/%s" % (native.package_name(), name),
        ],
        data = [
            ":" + name,
            "//harness/python:worker",
            "//tools:evaluate",
        ],
        tags = ["triton_task"] + tags,
    )

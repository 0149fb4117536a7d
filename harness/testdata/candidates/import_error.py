# IMPORT_ERROR: imports a module that does not exist.
import triton_kernels_that_do_not_exist  # noqa: F401


def vector_addition(x, y):
    return x + y

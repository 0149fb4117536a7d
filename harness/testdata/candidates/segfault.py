# CRASH: dereferences a null pointer, killing the worker with SIGSEGV.
import ctypes


def vector_addition(x, y):
    return ctypes.string_at(0)

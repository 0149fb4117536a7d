# MISSING_ENTRY_POINT: the function has the wrong name.
import torch


def vector_add(x, y):
    return x + y

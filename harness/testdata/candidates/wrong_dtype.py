# WRONG_DTYPE: always returns float32 (right values for the float32 cases only).
import torch


def vector_addition(x, y):
    return x.float() + y.float()

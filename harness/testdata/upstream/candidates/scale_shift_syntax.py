# upstream: FAIL (call); strict: SYNTAX_ERROR.
import torch


def scale_shift(x, scale, shift)
    return x

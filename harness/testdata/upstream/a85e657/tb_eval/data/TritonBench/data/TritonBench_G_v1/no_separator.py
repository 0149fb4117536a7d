# A fixture without the separator line.
import torch


def identity(x):
    return x


result_gold = {"x": identity(torch.ones(2))}

# A fixture whose test code leaves no result_gold.
import torch


def identity(x):
    return x


##################################################################################################################################################


def test_identity():
    return {"x": identity(torch.ones(2))}


outputs = test_identity()

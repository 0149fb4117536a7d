# A fixture whose test code never fills result_gold.
import torch
import triton

##################################################################################################################################################

import pytest


def test_nothing(request):
    pass

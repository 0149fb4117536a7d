# A fixture in GEAK-eval's TritonBench-revised performance layout, written for this project's tests.
from TritonBench_v1.inplace_relu import relu_
from performance_utils import Performance_Metrics, do_bench_config

import torch

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


class performance_metrics(Performance_Metrics):
    def __init__(self, dtype=None, is_backward=False, **kwargs):
        super().__init__('inplace_relu', dtype=dtype, is_backward=is_backward, **kwargs)

    def get_input_tensors(self):
        self.input_tensors = [torch.randn(2 ** i, dtype=torch.float32) for i in (7, 9)]

    def to_cuda(self, input_tensor):
        return input_tensor.to(DEVICE)

    def call_op(self, input_tensor):
        return relu_(input_tensor)

    def get_gbps(self, input_tensor, runtime):
        return 2 * input_tensor.numel() * 4 / (runtime / 1000) / 1e9

    def get_tflops(self, input_tensor, runtime):
        return input_tensor.numel() / (runtime / 1000) / 1e12

# A fixture in GEAK-eval's TritonBench-revised performance layout, written for this project's tests.
from TritonBench_v1.scale_shift import scale_shift
from performance_utils import Performance_Metrics, do_bench_config

import torch

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


class performance_metrics(Performance_Metrics):
    def __init__(self, dtype=None, is_backward=False, **kwargs):
        super().__init__('scale_shift', dtype=dtype, is_backward=is_backward, **kwargs)

    def get_input_tensors(self):
        self.input_tensors = []
        for i in range(6, 9):
            self.input_tensors.append((torch.rand(2 ** i, dtype=torch.float32), 1.5, -0.5))

    def to_cuda(self, input_tensor):
        return (input_tensor[0].to(DEVICE), input_tensor[1], input_tensor[2])

    def call_op(self, input_tensor):
        return scale_shift(*input_tensor)

    def get_gbps(self, input_tensor, runtime):
        return 2 * input_tensor[0].numel() * 4 / (runtime / 1000) / 1e9

    def get_tflops(self, input_tensor, runtime):
        return 2 * input_tensor[0].numel() / (runtime / 1000) / 1e12

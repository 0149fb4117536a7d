# fixture candidate for softmax (zero_shot/run3), not a kernel

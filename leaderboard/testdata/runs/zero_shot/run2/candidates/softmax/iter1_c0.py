# fixture candidate for softmax (zero_shot/run2), not a kernel

# fixture candidate for softmax (zero_shot/run1), not a kernel

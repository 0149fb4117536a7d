# fixture candidate for softmax (agent/run1), not a kernel

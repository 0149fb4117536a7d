# fixture candidate for softmax (agent/run2), not a kernel

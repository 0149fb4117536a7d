# fixture candidate for extra (agent/run2), not a kernel

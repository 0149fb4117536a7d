# fixture candidate for extra (agent/run1), not a kernel

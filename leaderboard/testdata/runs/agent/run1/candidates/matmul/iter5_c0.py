# fixture candidate for matmul (agent/run1), not a kernel

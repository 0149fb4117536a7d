# fixture candidate for matmul (agent/run2), not a kernel

# fixture candidate for matmul (zero_shot/run2), not a kernel

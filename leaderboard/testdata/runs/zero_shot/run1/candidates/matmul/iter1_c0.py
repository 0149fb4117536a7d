# fixture candidate for matmul (zero_shot/run1), not a kernel

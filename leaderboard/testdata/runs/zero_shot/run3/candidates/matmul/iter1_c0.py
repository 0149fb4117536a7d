# fixture candidate for matmul (zero_shot/run3), not a kernel

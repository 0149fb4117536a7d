# fixture candidate for extra (zero_shot/run2), not a kernel

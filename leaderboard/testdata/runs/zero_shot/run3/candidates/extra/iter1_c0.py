# fixture candidate for extra (zero_shot/run3), not a kernel

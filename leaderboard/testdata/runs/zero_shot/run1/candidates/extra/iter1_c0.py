# fixture candidate for extra (zero_shot/run1), not a kernel

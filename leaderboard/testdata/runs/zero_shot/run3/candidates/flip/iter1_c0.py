# fixture candidate for flip (zero_shot/run3), not a kernel

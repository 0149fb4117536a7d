# fixture candidate for flip (zero_shot/run2), not a kernel

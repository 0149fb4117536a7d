# fixture candidate for flip (zero_shot/run1), not a kernel

# fixture candidate for add (zero_shot/run1), not a kernel

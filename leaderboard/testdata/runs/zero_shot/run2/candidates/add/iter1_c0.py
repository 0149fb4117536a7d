# fixture candidate for add (zero_shot/run2), not a kernel

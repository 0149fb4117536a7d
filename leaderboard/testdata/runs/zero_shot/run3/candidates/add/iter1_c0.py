# fixture candidate for add (zero_shot/run3), not a kernel

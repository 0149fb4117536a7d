# fixture candidate for add (agent/run1), not a kernel

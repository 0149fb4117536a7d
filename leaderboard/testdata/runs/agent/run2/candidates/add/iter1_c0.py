# fixture candidate for add (agent/run2), not a kernel

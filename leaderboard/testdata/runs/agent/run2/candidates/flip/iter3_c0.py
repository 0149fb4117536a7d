# fixture candidate for flip (agent/run2), not a kernel

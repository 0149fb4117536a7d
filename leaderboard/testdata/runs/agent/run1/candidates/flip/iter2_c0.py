# fixture candidate for flip (agent/run1), not a kernel

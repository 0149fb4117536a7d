# Fixture ground truth of matmul (not a kernel).

# Fixture ground truth of extra (not a kernel).

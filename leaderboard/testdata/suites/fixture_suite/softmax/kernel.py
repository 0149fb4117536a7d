# Fixture ground truth of softmax (not a kernel).

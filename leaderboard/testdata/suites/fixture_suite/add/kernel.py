# Fixture ground truth of add (not a kernel).

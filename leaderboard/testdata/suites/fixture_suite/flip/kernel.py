# Fixture ground truth of flip (not a kernel).

# Correct, but prints 4 MB: the captured output must come back truncated.
import sys


def vector_addition(x, y):
    sys.stdout.write("spam " * (800 * 1024))
    return x + y

# INPUT_MUTATED: returns the right sum but scribbles on x.
def vector_addition(x, y):
    out = x + y
    x.zero_()
    return out

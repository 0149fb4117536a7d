# OUTPUT_ALIASES_INPUT: accumulates into x and returns it.
def vector_addition(x, y):
    return x.add_(y)

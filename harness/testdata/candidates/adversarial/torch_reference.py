# REJECTED_BY_CHECK(no_triton_kernel): the PyTorch reference's own expression, no
# Triton at all.
def vector_addition(x, y):
    return x + y

# OUT_OF_MEMORY: fills host memory until the limit ends it.
def vector_addition(x, y):
    hoard = []
    while True:
        hoard.append(b"x" * (64 << 20))

# TIMEOUT: never returns.
def vector_addition(x, y):
    while True:
        pass

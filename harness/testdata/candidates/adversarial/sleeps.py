# TIMEOUT: sleeps past any limit, hoping a timeout counts as a skip.
import time


def vector_addition(x, y):
    time.sleep(10**6)

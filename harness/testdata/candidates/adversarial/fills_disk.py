# RUNTIME_ERROR: writes one file until the file size limit stops it (EFBIG), leaving it
# behind full-sized. The evaluation's limit is 16 GiB; this candidate lowers its own to
# 64 MiB, so the test stays small (tools/scratch_leak_test.sh).
import resource

LIMIT = 64 << 20


def vector_addition(x, y):
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    chunk = b"\xa5" * (1 << 20)
    with open("fill.bin", "wb") as f:
        while True:
            f.write(chunk)
            f.flush()

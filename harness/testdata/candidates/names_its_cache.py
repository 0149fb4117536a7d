# Fails at import with the Triton cache folder it was given in its message, so that a
# test can see which cache a candidate process compiles into.
import os

raise ImportError("TRITON_CACHE_DIR=" + os.environ.get("TRITON_CACHE_DIR", "<unset>"))

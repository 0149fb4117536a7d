# TIMEOUT: starts a daemon (double fork, setsid) that writes files into the candidate's
# folder without end, then hangs. The daemon must die with the evaluation and its files
# go with the scratch folder (tools/scratch_leak_test.sh).
import os
import time

# $0 of the daemon's shell: how the test finds it among the processes.
MARKER = "tb-writing-daemon"
LOOP = 'i=0; while :; do i=$((i + 1)); echo "$i" > "note-$((i % 200))"; printf "%65536s" x > "blob-$((i % 50))"; done'


def vector_addition(x, y):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execvp("sh", ["sh", "-c", LOOP, MARKER])
        os._exit(0)
    time.sleep(10**6)

#!/usr/bin/env bash
# Every suite's tasks equal its newest release, and CHANGELOG.md names every release.
# On failure, `release check` names the tasks changed, added or removed and the command
# that cuts a release for them.
set -uo pipefail
"$1" check --suites=suites

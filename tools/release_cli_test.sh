#!/usr/bin/env bash
# The release guard as a user meets it, on a copy of two ROCm tasks as a suite of their
# own: no manifest fails naming the file; a cut release passes; an edited task fails the
# check, named, until a release is cut for it; the changelog must name every release;
# refusals (name taken, nothing to release) change nothing.
set -uo pipefail
source tools/shell_checks.sh
release="$1"
suites="$TEST_TMPDIR/suites"
demo="$suites/demo"
mkdir -p "$demo"
cp -rL suites/rocm/test_triton_flip suites/rocm/test_add_kernel "$demo/"
chmod -R u+w "$demo"

"$release" check --suites="$suites" > "$TEST_TMPDIR/none.out" 2>&1
check_exit "a suite without a manifest fails" 1 $?
contains "the failure names the manifest" "$TEST_TMPDIR/none.out" "$demo/releases.textproto: the suite has no release manifest"

"$release" cut --suite="$demo" --name=1.0 --summary="The first release." --date=2026-12-07 > "$TEST_TMPDIR/cut1.out" 2>&1
check_exit "cutting the first release exits 0" 0 $?
contains "the manifest lists a task per line" "$demo/releases.textproto" '  tasks { id: "test_add_kernel" content_hash: "'
contains "the changelog has the release's heading" "$demo/CHANGELOG.md" "## 1.0 (2026-12-07)"
contains "the changelog has the summary" "$demo/CHANGELOG.md" "The first release."
"$release" check --suites="$suites" > "$TEST_TMPDIR/ok.out" 2>&1
check_exit "the released tree passes" 0 $?
contains "the check names the release" "$TEST_TMPDIR/ok.out" "$demo: OK, the tasks equal release 1.0 (2 tasks)"

cp "$demo/releases.textproto" "$TEST_TMPDIR/manifest-1.0"
"$release" cut --suite="$demo" --name=1.1 --summary="Nothing." --date=2026-12-08 > "$TEST_TMPDIR/same.out" 2>&1
check_exit "cutting an unchanged tree is refused" 1 $?
contains "the refusal says why" "$TEST_TMPDIR/same.out" "nothing to release"
cmp -s "$demo/releases.textproto" "$TEST_TMPDIR/manifest-1.0"; check_exit "a refused cut leaves the manifest" 0 $?

# The guard: one task file edited, no release cut.
echo "# a changed comment" >> "$demo/test_add_kernel/kernel.py"
"$release" check --suites="$suites" > "$TEST_TMPDIR/edited.out" 2>&1
check_exit "an edited task fails the check" 1 $?
contains "the failure names the task" "$TEST_TMPDIR/edited.out" "changed (1): test_add_kernel"
contains "the failure names the release" "$TEST_TMPDIR/edited.out" "differ from release 1.0"
contains "the failure says how to cut a release" "$TEST_TMPDIR/edited.out" "cut --suite=$demo --name=1.1"
lacks "the unchanged task is not named" "$TEST_TMPDIR/edited.out" "test_triton_flip"

"$release" cut --suite="$demo" --name=1.0 --summary="Again." --date=2026-12-08 > "$TEST_TMPDIR/taken.out" 2>&1
check_exit "a release name that exists is refused" 1 $?
contains "the refusal names the field" "$TEST_TMPDIR/taken.out" "releases[0].name: release '1.0' exists"

cp -rL suites/rocm/test_reverse_range "$demo/" && chmod -R u+w "$demo/test_reverse_range"
rm -r "$demo/test_triton_flip"
"$release" check --suite="$demo" > "$TEST_TMPDIR/moved.out" 2>&1
check_exit "an added and a removed task fail the check" 1 $?
contains "the added task is named" "$TEST_TMPDIR/moved.out" "added (1): test_reverse_range"
contains "the removed task is named" "$TEST_TMPDIR/moved.out" "removed (1): test_triton_flip"

"$release" cut --suite="$demo" --name=1.1 --summary="test_add_kernel's comment; flip out, reverse_range in." \
  --date=2026-12-08 > "$TEST_TMPDIR/cut2.out" 2>&1
check_exit "cutting the next release exits 0" 0 $?
"$release" check --suites="$suites" > "$TEST_TMPDIR/ok2.out" 2>&1
check_exit "after the cut the check passes" 0 $?
contains "the check names the new release" "$TEST_TMPDIR/ok2.out" "equal release 1.1 (2 tasks)"
contains "the changelog lists the changed task" "$demo/CHANGELOG.md" '- changed: `test_add_kernel`'
contains "the changelog lists the added task" "$demo/CHANGELOG.md" '- added: `test_reverse_range`'
contains "the changelog lists the removed task" "$demo/CHANGELOG.md" '- removed: `test_triton_flip`'
[[ $(grep -n '^## ' "$demo/CHANGELOG.md" | head -1) == *"## 1.1 (2026-12-08)" ]]
check_exit "the newest release comes first in the changelog" 0 $?
contains "the manifest keeps the old release" "$demo/releases.textproto" 'name: "1.0"'

# Every release needs its changelog heading.
sed -i 's/^## 1.0 (2026-12-07)$/## first/' "$demo/CHANGELOG.md"
"$release" check --suites="$suites" > "$TEST_TMPDIR/nolog.out" 2>&1
check_exit "a release without a changelog heading fails" 1 $?
contains "the failure names the file and release" "$TEST_TMPDIR/nolog.out" "$demo/CHANGELOG.md has no heading for release(s) 1.0"

# A hand-edited hash is caught with its line.
sed -i '0,/content_hash: "[0-9a-f]/s/content_hash: "[0-9a-f]/content_hash: "X/' "$demo/releases.textproto"
"$release" check --suites="$suites" > "$TEST_TMPDIR/bad.out" 2>&1
check_exit "a malformed manifest fails" 1 $?
contains "the failure names the file, line and field" "$TEST_TMPDIR/bad.out" "$demo/releases.textproto:12: releases[0].tasks[0]"

"$release" cut --suite="$demo" --summary=x --date=2026-12-09 > "$TEST_TMPDIR/usage.out" 2>&1
check_exit "cut without --name is a usage error" 2 $?
finish

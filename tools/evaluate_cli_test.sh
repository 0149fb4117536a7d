#!/usr/bin/env bash
# The evaluate CLI as a user meets it: exit codes, the run record, refusing to
# overwrite a run, resuming a cut one, and a malformed spec named with its file and line.
set -uo pipefail
source tools/shell_checks.sh
evaluate="$1"
: "${TB_PYTHON:?run tools/setup.sh: TB_PYTHON must name the venv python}"
common=(--python="$TB_PYTHON" --worker=harness/python/worker.py --scratch_dir="$TEST_TMPDIR" --device=cpu)
task=suites/tritonbench_revised/vector_addition

"$evaluate" "${common[@]}" --task=$task --candidate=harness/testdata/candidates/correct_blocked.py > "$TEST_TMPDIR/pass.txt"
check_exit "a correct candidate exits 0" 0 $?
contains "the verdict says PASS" "$TEST_TMPDIR/pass.txt" "verdict:    PASS"
contains "CPU timing is reported unavailable" "$TEST_TMPDIR/pass.txt" "timing:     unavailable"

"$evaluate" "${common[@]}" --task=$task --candidate=harness/testdata/candidates/wrong_values.py > "$TEST_TMPDIR/fail.txt"
check_exit "a wrong candidate exits 1" 1 $?
contains "the verdict names the failure" "$TEST_TMPDIR/fail.txt" "failure:    WRONG_VALUES"

out="$TEST_TMPDIR/run"
"$evaluate" "${common[@]}" --suite=suites/rocm --out="$out" > "$TEST_TMPDIR/suite.txt" 2> "$TEST_TMPDIR/suite.err"
check_exit "a suite of passing ground truths exits 0" 0 $?
contains "a progress line per task" "$TEST_TMPDIR/suite.txt" "[1/1] test_triton_flip"
contains "the record names the backend" "$out/run_record.json" '"backend": "cpu-interpreter"'
contains "the record has the suite hash" "$out/run_record.json" '"suite_content_hash": "'
contains "the record counts correct tasks" "$out/run_record.json" '"execution_ok": 1'
[[ $(wc -l < "$out/results.jsonl") -eq 1 ]]; check_exit "results.jsonl has one line per task" 0 $?
release=$(sed -n 's/^ *name: "\(.*\)"$/\1/p' suites/rocm/releases.textproto | tail -1)
contains "the record names the suite's release" "$out/run_record.json" "\"release\": \"$release\""
contains "the record has the release's manifest hash" "$out/run_record.json" \
  "\"release_manifest_hash\": \"$(sed -n 's/^ *manifest_hash: "\(.*\)"$/\1/p' suites/rocm/releases.textproto | tail -1)\""
contains "each result names its release" "$out/results.jsonl" "\"release\":\"$release\""

# A task edited after the release: its result and the run are unreleased.
edited="$TEST_TMPDIR/edited/rocm"
mkdir -p "$edited" && cp -rL suites/rocm/test_triton_flip suites/rocm/releases.textproto "$edited/"
chmod -R u+w "$edited" && echo "# edited" >> "$edited/test_triton_flip/kernel.py"
"$evaluate" "${common[@]}" --suite="$edited" --out="$TEST_TMPDIR/edited-run" > /dev/null 2>&1
check_exit "the edited task's ground truth still passes" 0 $?
contains "the edited task's result is unreleased" "$TEST_TMPDIR/edited-run/results.jsonl" '"release":"unreleased"'
contains "the run on it is unreleased" "$TEST_TMPDIR/edited-run/run_record.json" '"release": "unreleased"'
contains "an unreleased run has no manifest hash" "$TEST_TMPDIR/edited-run/run_record.json" '"release_manifest_hash": ""'

"$evaluate" "${common[@]}" --suite=suites/rocm --out="$out" 2> "$TEST_TMPDIR/again.err" > /dev/null
check_exit "an existing run folder is refused" 2 $?
contains "the refusal says why" "$TEST_TMPDIR/again.err" "never overwritten"

bad="$TEST_TMPDIR/tasks/vector_addition"
mkdir -p "$bad" && cp $task/*.py "$bad/"
sed 's/^entry_point:/entry_pont:/' $task/task.textproto > "$bad/task.textproto"
"$evaluate" "${common[@]}" --task="$bad" 2> "$TEST_TMPDIR/bad.err" > /dev/null
check_exit "a malformed spec exits 2" 2 $?
contains "the error names file and line" "$TEST_TMPDIR/bad.err" "vector_addition/task.textproto:11:"

"$evaluate" "${common[@]}" --task=$task --candidate=/no/such/file.py 2> "$TEST_TMPDIR/missing.err" > /dev/null
check_exit "a missing candidate exits 2" 2 $?
contains "the error names the file" "$TEST_TMPDIR/missing.err" "/no/such/file.py"

if [[ -d /dev/shm ]]; then  # a candidate's sandbox may write there: not for its judge's files
  shm="/dev/shm/tb-evaluate-cli-test-$$"
  "$evaluate" "${common[@]}" --scratch_dir="$shm" --task=$task \
    --candidate=harness/testdata/candidates/correct_blocked.py 2> "$TEST_TMPDIR/shm.err" > /dev/null
  check_exit "a candidate with scratch under /dev/shm exits 2" 2 $?
  contains "the error names the folder and the flag" "$TEST_TMPDIR/shm.err" "$shm"
  contains "the error names the flag" "$TEST_TMPDIR/shm.err" "--scratch_dir"
  rm -rf "$shm"
fi

# --jobs: two evaluations at once, a right and a wrong ground truth; both are recorded.
wrong="$TEST_TMPDIR/tasks-wrong/vector_addition_wrong"
mkdir -p "$wrong" && cp $task/reference.py "$wrong/"
sed 's/^id: "vector_addition"/id: "vector_addition_wrong"/' $task/task.textproto > "$wrong/task.textproto"
cp harness/testdata/candidates/wrong_values.py "$wrong/kernel.py"
"$evaluate" "${common[@]}" --task=$task,"$wrong" --jobs=2 --out="$TEST_TMPDIR/jobs" > "$TEST_TMPDIR/jobs.txt" 2>&1
check_exit "--jobs=2 with one wrong task exits 1" 1 $?
[[ $(wc -l < "$TEST_TMPDIR/jobs/results.jsonl") -eq 2 ]]; check_exit "--jobs=2 records both tasks" 0 $?
contains "--jobs=2 counts the right one" "$TEST_TMPDIR/jobs/run_record.json" '"execution_ok": 1'
contains "a task of no released suite is unreleased" "$TEST_TMPDIR/jobs/results.jsonl" '"task_id":"vector_addition_wrong"'
grep '"task_id":"vector_addition_wrong"' "$TEST_TMPDIR/jobs/results.jsonl" | grep -qF '"release":"unreleased"'
check_exit "the task outside any release is unreleased" 0 $?
grep '"task_id":"vector_addition"' "$TEST_TMPDIR/jobs/results.jsonl" | grep -qF "\"release\":\"$release\""
check_exit "the released task beside it keeps its release" 0 $?
contains "a run over two suites is unreleased" "$TEST_TMPDIR/jobs/run_record.json" '"release": "unreleased"'
contains "--jobs=2 prints a line per task" "$TEST_TMPDIR/jobs.txt" "[2/2] vector_addition"
contains "results say where the time went" "$TEST_TMPDIR/jobs/results.jsonl" '"correctness case":'
contains "drawing inputs is timed apart" "$TEST_TMPDIR/jobs/results.jsonl" '"reference outputs":'

# --resume: the run cut short (by a lost machine) after its first task keeps that task
# and evaluates only the other; a resumption with other settings is refused.
cut="$TEST_TMPDIR/cut"
mkdir -p "$cut" && head -1 "$TEST_TMPDIR/jobs/results.jsonl" > "$cut/results.jsonl"
grep -v '"finished_at"' "$TEST_TMPDIR/jobs/run_record.json" > "$cut/run_record.json"
"$evaluate" "${common[@]}" --task=$task,"$wrong" --jobs=2 --out="$cut" --resume --repetitions=7 2> "$TEST_TMPDIR/resume-bad.err" > /dev/null
check_exit "--resume with other settings exits 2" 2 $?
contains "the refusal names what differs" "$TEST_TMPDIR/resume-bad.err" "holds a different measurement (settings"
# A record of another release (the manifest changed since it started) is refused too.
other="$TEST_TMPDIR/other-release"
mkdir -p "$other" && cp "$cut/results.jsonl" "$other/"
sed 's/"release": "unreleased"/"release": "0.9"/' "$cut/run_record.json" > "$other/run_record.json"
"$evaluate" "${common[@]}" --task=$task,"$wrong" --jobs=2 --out="$other" --resume 2> "$TEST_TMPDIR/resume-release.err" > /dev/null
check_exit "--resume of another release exits 2" 2 $?
contains "the refusal names the release" "$TEST_TMPDIR/resume-release.err" "release was '0.9', now 'unreleased'"
"$evaluate" "${common[@]}" --task=$task,"$wrong" --jobs=2 --out="$cut" --resume > "$TEST_TMPDIR/resume.txt" 2>&1
check_exit "the resumed run with one wrong task exits 1" 1 $?
contains "resuming says what it kept" "$TEST_TMPDIR/resume.txt" "1 of 2 task(s) already finished there, kept"
contains "progress goes on from the kept task" "$TEST_TMPDIR/resume.txt" "[2/2] "
[[ $(wc -l < "$cut/results.jsonl") -eq 2 ]]; check_exit "the resumed run holds both tasks" 0 $?
contains "the record says it was resumed" "$cut/run_record.json" '"resumed_at": ['
contains "the resumed run finished" "$cut/run_record.json" '"finished_at": "'
"$evaluate" "${common[@]}" --task=$task --resume 2> "$TEST_TMPDIR/resume-no-out.err" > /dev/null
check_exit "--resume without --out is a usage error" 2 $?

"$evaluate" "${common[@]}" --task=$task --jobs=0 2> "$TEST_TMPDIR/jobs0.err" > /dev/null
check_exit "--jobs=0 is a usage error" 2 $?
contains "the usage error says why" "$TEST_TMPDIR/jobs0.err" "--jobs must be at least 1"

finish

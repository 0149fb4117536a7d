"""The verdict vocabulary of an EvaluationResult, as harness/proto/evaluation.proto
names it: every FailureKind, and the checks whose name a REJECTED_BY_CHECK result
carries in its `check` field. The judge spells these names only here
(verdicts_test.py fails when this module and the proto disagree, and when another
file of the judge writes one of them as a literal)."""

# FailureKind.
NONE = "NONE"
SYNTAX_ERROR = "SYNTAX_ERROR"
IMPORT_ERROR = "IMPORT_ERROR"
MISSING_ENTRY_POINT = "MISSING_ENTRY_POINT"
COMPILE_ERROR = "COMPILE_ERROR"
RUNTIME_ERROR = "RUNTIME_ERROR"
TIMEOUT = "TIMEOUT"
CRASH = "CRASH"
OUT_OF_MEMORY = "OUT_OF_MEMORY"
WRONG_OUTPUT_STRUCTURE = "WRONG_OUTPUT_STRUCTURE"
WRONG_SHAPE = "WRONG_SHAPE"
WRONG_DTYPE = "WRONG_DTYPE"
WRONG_DEVICE = "WRONG_DEVICE"
WRONG_VALUES = "WRONG_VALUES"
INPUT_MUTATED = "INPUT_MUTATED"
OUTPUT_ALIASES_INPUT = "OUTPUT_ALIASES_INPUT"
UNSUPPORTED = "UNSUPPORTED"
HARNESS_ERROR = "HARNESS_ERROR"
REJECTED_BY_CHECK = "REJECTED_BY_CHECK"

KINDS = (NONE, SYNTAX_ERROR, IMPORT_ERROR, MISSING_ENTRY_POINT, COMPILE_ERROR, RUNTIME_ERROR, TIMEOUT, CRASH,
         OUT_OF_MEMORY, WRONG_OUTPUT_STRUCTURE, WRONG_SHAPE, WRONG_DTYPE, WRONG_DEVICE, WRONG_VALUES, INPUT_MUTATED,
         OUTPUT_ALIASES_INPUT, UNSUPPORTED, HARNESS_ERROR, REJECTED_BY_CHECK)

# The checks of REJECTED_BY_CHECK (EvaluationResult.check).
NO_TRITON_KERNEL = "no_triton_kernel"
OUTPUT_NOT_FROM_TRITON = "output_not_from_triton"
HARNESS_TAMPERING = "harness_tampering"
NETWORK = "network"
LEFTOVER_PROCESS = "leftover_process"
PROCESS_LIMIT = "process_limit"
TIMING_OUTPUTS = "timing_outputs"
TIMING_SANITY = "timing_sanity"
RESULT_FORGED = "result_forged"  # set by the C++ runner (harness/evaluator.cc), never here
GLOBAL_STATE = "global_state"
MOSTLY_TORCH = "mostly_torch"

CHECKS = (NO_TRITON_KERNEL, OUTPUT_NOT_FROM_TRITON, HARNESS_TAMPERING, NETWORK, LEFTOVER_PROCESS, PROCESS_LIMIT,
          TIMING_OUTPUTS, TIMING_SANITY, RESULT_FORGED, GLOBAL_STATE, MOSTLY_TORCH)


def rejected_kind(check):
    """The kind an EvaluationFailure carries for a check's rejection:
    "REJECTED_BY_CHECK:network" (failures.split_kind takes it apart)."""
    return f"{REJECTED_BY_CHECK}:{check}"

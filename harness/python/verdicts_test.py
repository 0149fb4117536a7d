"""verdicts.py against harness/proto/evaluation.proto, and the judge against verdicts.py:

- verdicts.KINDS are FailureKind's names, in the enum's order;
- verdicts.CHECKS are the check names the proto lists under REJECTED_BY_CHECK;
- no other Python file of the judge spells a kind or a check name as a string literal
  (each uses verdicts.NAME), so a renamed kind cannot be missed in one place.

    python3 harness/python/verdicts_test.py [path/to/evaluation.proto]
"""

import ast
import glob
import os
import re
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import verdicts  # noqa: E402

PROTO = os.path.join(HERE, "..", "proto", "evaluation.proto")


def proto_failure_kinds(text):
    """FailureKind's value names in order, and the check names its comments list."""
    body = re.search(r"enum FailureKind \{(.*?)\n\}", text, re.S).group(1)
    kinds = re.findall(r"^\s*([A-Z_]+) = \d+;", body, re.M)
    listing = body[body.index("the result's `check` names which:"):body.index("REJECTED_BY_CHECK =")]
    checks = re.findall(r"^\s*//\s{3}([a-z_]+)\s{2,}", listing, re.M)
    return kinds, checks


def literal_verdicts(path):
    """(line, text) of every string literal in `path` that is a kind or a check name."""
    names = set(verdicts.KINDS) | set(verdicts.CHECKS)
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and (n.value in names or n.value.startswith(verdicts.REJECTED_BY_CHECK + ":"))]


class VerdictsTest(unittest.TestCase):
    def setUp(self):
        with open(PROTO) as f:
            self.kinds, self.checks = proto_failure_kinds(f.read())

    def test_the_kinds_are_the_protos(self):
        self.assertEqual(len(self.kinds), 19)
        self.assertEqual(list(verdicts.KINDS), self.kinds)
        for name in self.kinds:
            self.assertEqual(getattr(verdicts, name), name)

    def test_the_checks_are_the_protos(self):
        self.assertIn("no_triton_kernel", self.checks)
        self.assertEqual(sorted(verdicts.CHECKS), sorted(self.checks))
        for name in self.checks:
            self.assertEqual(getattr(verdicts, name.upper()), name)

    def test_a_disagreement_is_seen(self):
        with open(PROTO) as f:
            text = f.read()
        kinds, checks = proto_failure_kinds(text.replace("  WRONG_SHAPE = 10;", "  WRONG_SHAPES = 10;")
                                            .replace("//   network ", "//   sockets "))
        self.assertNotEqual(list(verdicts.KINDS), kinds)
        self.assertNotEqual(sorted(verdicts.CHECKS), sorted(checks))

    def test_the_judge_spells_no_verdict_as_a_literal(self):
        files = [f for f in glob.glob(os.path.join(HERE, "*.py"))
                 if not f.endswith("_test.py") and os.path.basename(f) != "verdicts.py"]
        self.assertGreater(len(files), 20)
        found = [f"{os.path.basename(f)}:{line}: {text!r}" for f in sorted(files) for line, text in literal_verdicts(f)]
        self.assertEqual(found, [], "use verdicts.NAME instead")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        PROTO = sys.argv.pop(1)
    unittest.main()

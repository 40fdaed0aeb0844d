#!/usr/bin/env python3
"""Runs one corpus program both ways and compares their standard output (see README.md).

Usage: differential.py PLAIN JOURNALED WORK_DIR

1. PLAIN, no arguments: the reference output, ending in `result: ...`.
2. JOURNALED WORK_DIR/journal.db first, on a fresh journal: the same output is required.
3. JOURNALED WORK_DIR/journal.db again, a new process on that journal: starting the run with the
   same ID finds the completed run; its recorded result alone is printed and must be the
   reference's last line.
Prints `differential <name>: identical` or the difference, and exits 1 on any difference."""
import difflib
import os
import shutil
import subprocess
import sys

TIMEOUT = 120


def run(command):
    try:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, f"{' '.join(command)}: timed out after {TIMEOUT} s"
    except OSError as error:
        return None, f"{' '.join(command)}: {error}"
    stderr = result.stderr.decode(errors="replace")
    if result.returncode != 0:
        return None, f"{' '.join(command)}: exit code {result.returncode}\n{stderr}"
    return result.stdout.decode(errors="replace"), stderr


def difference(expected, actual, expected_name, actual_name):
    return "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        expected_name, actual_name))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    plain, journaled, work = sys.argv[1:]
    name = os.path.basename(work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    journal = os.path.join(work, "journal.db")

    reference, problem = run([plain])
    if reference is None:
        sys.exit(f"differential {name}: the plain build failed: {problem}")
    print(f"plain output:\n{reference}", end="")
    if not reference.endswith("\n") or not reference.splitlines()[-1].startswith("result: "):
        sys.exit(f"differential {name}: the plain output does not end in a 'result: ' line")

    failures = []
    first, problem = run([journaled, journal, "first"])
    if first is None:
        failures.append(f"the journaled run failed: {problem}")
    elif first != reference:
        failures.append("the journaled run differs:\n" +
                        difference(reference, first, "plain", "journaled") + problem)
    else:
        again, problem = run([journaled, journal, "again"])
        expected = reference.splitlines(True)[-1]
        if again is None:
            failures.append(f"the second journaled process failed: {problem}")
        elif again != expected:
            failures.append("the second journaled process differs:\n" +
                            difference(expected, again, "plain result", "recorded result") + problem)

    if failures:
        print(f"differential {name}: " + "\n".join(failures))
        sys.exit(1)
    print(f"differential {name}: identical")


if __name__ == "__main__":
    main()

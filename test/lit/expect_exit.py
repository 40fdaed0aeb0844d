#!/usr/bin/env python3
"""Runs a command and succeeds only if it exits with the expected code (lit's `not` only
inverts success). Usage: expect_exit.py CODE COMMAND [ARGS...]; output passes through."""
import subprocess
import sys

expected = int(sys.argv[1])
code = subprocess.call(sys.argv[2:])
if code != expected:
    print(f"expect_exit: '{' '.join(sys.argv[2:])}' exited with {code}, expected {expected}", file=sys.stderr)
    sys.exit(1)

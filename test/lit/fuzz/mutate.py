#!/usr/bin/env python3
"""Fuzz-style robustness test for wfc: feeds mutated sources and checks that wfc never crashes
or hangs. Every run must end with exit code 0 (rewritten) or 1 (diagnosed) within the timeout;
a signal, another code or a timeout fails the test and keeps the input for reproduction.
Usage: mutate.py --wfc WFC --count N --seed S --work DIR SEED_FILE..."""
import argparse
import concurrent.futures
import os
import random
import subprocess
import sys

FRAGMENTS = ["[[workflow::step]]", "[[workflow::workflow]]", "[[workflow::step(\"x\")]]", "[[workflow::stepp]]",
             "(", ")", "{", "}", "[", "]", ";", ",", "::", "\"", "'", "#define M(x) x\n", "catch (...) {}",
             "template <class T>", "co_return;", "charge(", "audit(1)", "&charge", "...", "\\\n", "/*", "*/",
             "#line 5\n", "#include \"nowhere.h\"\n", "operator()", "static", "virtual", "auto", "= default",
             "\0", "\xff", "[[workflow::step(42)]]", "noexcept", "decltype(", "requires", "#if 0\n", "#endif\n"]


def mutate(text, rng):
    data = list(text)
    for _ in range(rng.randint(1, 6)):
        kind = rng.randrange(5)
        position = rng.randrange(len(data) + 1)
        if kind == 0 and data:  # delete a span
            del data[position:position + rng.randint(1, 12)]
        elif kind == 1:  # insert a fragment
            data[position:position] = list(rng.choice(FRAGMENTS))
        elif kind == 2 and data:  # duplicate a span
            span = data[position:position + rng.randint(1, 40)]
            target = rng.randrange(len(data) + 1)
            data[target:target] = span
        elif kind == 3 and data:  # flip a character
            data[min(position, len(data) - 1)] = chr(rng.randrange(32, 127))
        else:  # truncate
            del data[position:]
    return "".join(data)


def run_one(arguments, index, source):
    path = os.path.join(arguments.work, f"case{index}.cpp")
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as file:
        file.write(source)
    command = [arguments.wfc, path, "-o", path + ".out", "--", "-std=c++20"]
    try:
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
    except subprocess.TimeoutExpired:
        return f"case {index}: wfc hung (over 30 s); input kept at {path}"
    if result.returncode not in (0, 1):
        tail = result.stderr.decode(errors="replace")[-2000:]
        return f"case {index}: wfc exited with {result.returncode}; input kept at {path}\n{tail}"
    if result.returncode == 1 and os.path.exists(path + ".out"):
        return f"case {index}: wfc reported errors but wrote an output file"
    os.remove(path)
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wfc", required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", required=True)
    parser.add_argument("seeds", nargs="+")
    arguments = parser.parse_args()
    os.makedirs(arguments.work, exist_ok=True)
    rng = random.Random(arguments.seed)
    texts = [open(seed, encoding="utf-8").read() for seed in arguments.seeds]
    cases = [mutate(rng.choice(texts), rng) for _ in range(arguments.count)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        failures = [f for f in pool.map(lambda c: run_one(arguments, *c), enumerate(cases)) if f]
    outcomes = arguments.count - len(failures)
    print(f"fuzz: {arguments.count} mutated sources, {outcomes} handled cleanly, {len(failures)} failures")
    for failure in failures:
        print(failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

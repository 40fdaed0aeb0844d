#!/usr/bin/env python3
"""Consumer tests: workflow-cpp used the way users use it.

  consumers.py install BUILD PREFIX
      cmake --install of this build into PREFIX (the fixture the other tests need)
  consumers.py project SOURCE WORKDIR [--prefix P] [--generator G] [--define K=V]... \
                       [--run CMD]... [--expect REGEX]... [--incremental HEADER]
      configures and builds SOURCE, runs each CMD in the build dir (shell), checks REGEXes
      against their output; with --incremental, checks that a second build does nothing and
      that touching HEADER reruns wfc
  consumers.py errors WORKDIR --prefix P
      projects with mistakes: each must fail with an error a user can act on
  consumers.py getting-started DOC WORKDIR --prefix P
      follows docs/getting-started.md literally in an empty directory
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time


def sh(command, cwd, env=None, check=True):
    result = subprocess.run(command, cwd=cwd, shell=True, capture_output=True, text=True, env=env)
    output = result.stdout + result.stderr
    if check and result.returncode != 0:
        sys.exit(f"FAIL: `{command}` in {cwd} exited with {result.returncode}:\n{output[-6000:]}")
    return result.returncode, output


def fresh(directory):
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)


def configure(source, build, prefix, generator, defines):
    flags = " ".join(f"-D{d}" for d in defines)
    prefix_flag = f"-DCMAKE_PREFIX_PATH={prefix}" if prefix else ""
    return f"cmake -S {source} -B {build} -G '{generator}' {prefix_flag} {flags}"


def build_command(build):
    return f"cmake --build {build} -j 2"


def command_install(arguments):
    fresh(arguments.prefix)
    sh(f"cmake --install {arguments.build} --prefix {arguments.prefix}", cwd=arguments.build)
    for needed in ("lib/cmake/Workflow/WorkflowConfig.cmake", "bin/wfc", "bin/wf", "include/workflow/workflow.hpp",
                   "include/workflow/testing.hpp"):
        if not os.path.exists(os.path.join(arguments.prefix, needed)):
            sys.exit(f"FAIL: the installed package lacks {needed}")
    print("installed into", arguments.prefix)


def command_project(arguments):
    build = os.path.join(arguments.workdir, "build")
    fresh(arguments.workdir)
    sh(configure(arguments.source, build, arguments.prefix, arguments.generator, arguments.define), cwd=arguments.workdir)
    sh(build_command(build), cwd=arguments.workdir)
    output = ""
    for command in arguments.run:
        output += sh(command, cwd=build)[1]
    print(output)
    for pattern in arguments.expect:
        if not re.search(pattern, output, re.S):
            sys.exit(f"FAIL: output lacks /{pattern}/")
    if arguments.incremental:
        _, second = sh(build_command(build), cwd=build)
        if "wfc " in second or "Building CXX" in second:
            sys.exit(f"FAIL: a build with no change did work:\n{second}")
        time.sleep(1.1)  # file times with one-second resolution must differ
        os.utime(arguments.incremental)
        _, third = sh(build_command(build), cwd=build)
        if "wfc " not in third:
            sys.exit(f"FAIL: touching {arguments.incremental} did not rerun wfc:\n{third}")
        print("incremental: no-change build did nothing; touching the header reran wfc")
    print("project: ok")


MISTAKES = {
    "missing-source": (
        "add_executable(app main.cpp)\ntarget_workflow_sources(app flows.cpp)\n",
        {"main.cpp": "int main() {}\n"},
        "configure",
        r"target_workflow_sources\(app\): source 'flows.cpp' does not exist"),
    "missing-target": (
        "target_workflow_sources(ap main.cpp)\nadd_executable(app main.cpp)\n",
        {"main.cpp": "int main() {}\n"},
        "configure",
        r"there is no target named 'ap'"),
    "wfc-diagnostic": (
        "add_executable(app main.cpp flows.cpp)\ntarget_workflow_sources(app flows.cpp)\n",
        {"main.cpp": "int main() {}\n",
         "flows.cpp": "#include <ctime>\n#include <workflow/workflow.hpp>\n"
                      "[[workflow::workflow]] long stamp() {\n  return time(nullptr);\n}\n"},
        "build",
        r"flows\.cpp:4:10: error: time\(\) in workflow 'stamp' is not deterministic"),
}


def command_errors(arguments):
    for name, (body, files, phase, pattern) in MISTAKES.items():
        project = os.path.join(arguments.workdir, name)
        fresh(project)
        with open(os.path.join(project, "CMakeLists.txt"), "w") as out:
            out.write("cmake_minimum_required(VERSION 3.25)\nproject(mistake LANGUAGES CXX)\n"
                      "find_package(Workflow CONFIG REQUIRED)\n" + body)
        for file, text in files.items():
            with open(os.path.join(project, file), "w") as out:
                out.write(text)
        build = os.path.join(project, "build")
        code, output = sh(configure(project, build, arguments.prefix, "Ninja", []), cwd=project, check=False)
        if phase == "build" and code == 0:
            code, output = sh(build_command(build), cwd=project, check=False)
        if code == 0:
            sys.exit(f"FAIL: {name}: the mistake went unnoticed")
        if not re.search(pattern, output):
            sys.exit(f"FAIL: {name}: the error does not say /{pattern}/:\n{output[-4000:]}")
        print(f"{name}: rejected with an error naming the problem")
    print("errors: ok")


def command_getting_started(arguments):
    """Files are the code blocks right after a line `<!-- file: NAME -->`; commands are the
    blocks after `<!-- run -->`; the output of the last command must match the block after
    `<!-- output -->`."""
    text = open(arguments.doc).read()
    fresh(arguments.workdir)
    blocks = re.findall(r"<!-- (file: [^ ]+|run|output) -->\n```[a-z]*\n(.*?)```", text, re.S)
    if not blocks:
        sys.exit("FAIL: the guide has no marked code blocks")
    env = dict(os.environ, CMAKE_PREFIX_PATH=arguments.prefix)
    output = ""
    for kind, body in blocks:
        if kind.startswith("file: "):
            path = os.path.join(arguments.workdir, kind[len("file: "):])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as out:
                out.write(body)
        elif kind == "run":
            output = sh(body, cwd=arguments.workdir, env=env)[1]
            print(output)
        else:
            for line in body.strip().splitlines():
                if line.strip() not in output:
                    sys.exit(f"FAIL: the guide promises the output line {line!r}; got:\n{output}")
    print("getting-started: ok")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("install"); p.add_argument("build"); p.add_argument("prefix")
    p = sub.add_parser("project"); p.add_argument("source"); p.add_argument("workdir")
    p.add_argument("--prefix", default=""); p.add_argument("--generator", default="Ninja")
    p.add_argument("--define", action="append", default=[]); p.add_argument("--run", action="append", default=[])
    p.add_argument("--expect", action="append", default=[]); p.add_argument("--incremental", default="")
    p = sub.add_parser("errors"); p.add_argument("workdir"); p.add_argument("--prefix", required=True)
    p = sub.add_parser("getting-started"); p.add_argument("doc"); p.add_argument("workdir")
    p.add_argument("--prefix", required=True)
    arguments = parser.parse_args()
    {"install": command_install, "project": command_project, "errors": command_errors,
     "getting-started": command_getting_started}[arguments.command](arguments)


if __name__ == "__main__":
    main()

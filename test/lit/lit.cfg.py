# lit configuration of the wfc suite. One folder per feature; each test has one RUN line and its
# CHECK lines right under the construct they check. Substitutions:
#   %wfc            the compiler under test
#   %flags          the flags a build passes (runtime headers, C++20)
#   %gxx / %clangxx the two compilers the rewritten output must satisfy (-Wall -Wextra -Werror)
#   %plugin         the attribute plugin for plain clang (-fplugin=%plugin)
#   %expect-exit N  runs the rest of the line and checks its exit code is N
import os
import lit.formats

config.name = "wfc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".test"]
config.excludes = ["Inputs", "expect_exit.py", "mutate.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.workflow_binary_dir, "test", "lit")

# FileCheck, not and count come from LLVM's tools directory (Debian puts only -19 names on PATH).
config.environment["PATH"] = os.pathsep.join([config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])

flags = "-std=c++20 -I" + config.runtime_include_dir
config.substitutions.append(("%wfc", config.wfc))
config.substitutions.append(("%flags", flags))
config.substitutions.append(("%gxx", "g++ " + flags + " -Wall -Wextra -Werror"))
config.substitutions.append(("%clangxx", config.clangxx + " " + flags + " -Wall -Wextra -Werror"))
config.substitutions.append(("%plugin", config.plugin))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%expect-exit", config.python + " " + os.path.join(config.test_source_root, "expect_exit.py")))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))

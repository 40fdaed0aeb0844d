// The non-deterministic calls a workflow body must not make, each with its deterministic
// alternative. A workflow body runs again on every replay, so anything that reads the clock,
// randomness, the environment, files or the network, or starts threads, gives a different answer
// the second time. Suppressed by `// workflow: allow-nondeterminism` on the line or the line above.
#pragma once

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>

#include <optional>
#include <string>

namespace workflow::compiler {

struct NondeterministicUse {
  std::string what;         // "std::chrono::system_clock::now()"
  std::string alternative;  // "use workflow::now(), which replays the recorded time"
};

/// The problem with calling `callee`, if it is a known non-deterministic function.
std::optional<NondeterministicUse> nondeterministic_call(const clang::FunctionDecl* callee);

/// The problem with constructing an object of `type` (std::thread, std::random_device, fstreams).
std::optional<NondeterministicUse> nondeterministic_construction(const clang::CXXRecordDecl* type);

}  // namespace workflow::compiler

// The non-deterministic calls a workflow body (and every function it calls) must not make, each
// with its deterministic alternative. A workflow body runs again on every replay, so anything that
// reads the clock, randomness, the environment, files or the network, starts threads, or starts
// and reads other runs gives a different answer (or does it again) the second time. Suppressed by
// `// workflow: allow-nondeterminism` on the line or the line above.
#pragma once

#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>

#include <optional>
#include <string>

namespace workflow::compiler {

struct NondeterministicUse {
  std::string what;         // "std::chrono::system_clock::now()"
  std::string alternative;  // "use workflow::now(), which replays the recorded time"
};

/// The problem with calling `callee`, if it is a known non-deterministic function: the C and
/// standard libraries' clocks, randomness, sleeps, threads, environment, file system and network,
/// and the runtime's own `workflow::start`, `get_run` and `Run` queries and controls.
std::optional<NondeterministicUse> nondeterministic_call(const clang::FunctionDecl* callee);

/// The problem with calling `constructor` (std::thread, std::random_device, fstreams,
/// std::filesystem::directory_iterator on a path, ...).
std::optional<NondeterministicUse> nondeterministic_construction(const clang::CXXConstructorDecl* constructor);

/// The name of the outermost namespace `decl` is declared in (`std` for std::filesystem::path,
/// `workflow` for workflow::detail::x), or empty at global scope.
llvm::StringRef outermost_namespace(const clang::Decl* decl);

}  // namespace workflow::compiler

// The table of non-deterministic calls: see nondeterminism.hpp.
#include "nondeterminism.hpp"

#include "discovery.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/Basic/SourceManager.h>

#include <map>
#include <string_view>

namespace workflow::compiler {
namespace {

constexpr std::string_view kUseNow = "use workflow::now(), which returns the same time on replay";
constexpr std::string_view kUseRandom = "use workflow::random() or workflow::random_u64(), which repeat on replay";
constexpr std::string_view kUseStep = "do it in a [[workflow::step]], whose result is journaled";
constexpr std::string_view kUseSleep = "use workflow::sleep(), a durable timer that holds no thread";
constexpr std::string_view kUseStepForThreads =
    "do the concurrent work inside a [[workflow::step]]; a workflow body must stay one deterministic thread";

// Free functions, by qualified name (C functions are also reachable as std::name).
const std::map<std::string_view, std::string_view>& free_functions() {
  static const std::map<std::string_view, std::string_view> table = {
      {"time", kUseNow}, {"clock", kUseNow}, {"gettimeofday", kUseNow}, {"clock_gettime", kUseNow},
      {"timespec_get", kUseNow}, {"ftime", kUseNow},
      {"rand", kUseRandom}, {"srand", kUseRandom}, {"random", kUseRandom}, {"srandom", kUseRandom},
      {"drand48", kUseRandom}, {"lrand48", kUseRandom}, {"mrand48", kUseRandom}, {"rand_r", kUseRandom},
      {"arc4random", kUseRandom}, {"getrandom", kUseRandom}, {"getentropy", kUseRandom},
      {"std::this_thread::sleep_for", kUseSleep}, {"std::this_thread::sleep_until", kUseSleep},
      {"sleep", kUseSleep}, {"usleep", kUseSleep}, {"nanosleep", kUseSleep}, {"clock_nanosleep", kUseSleep},
      {"std::async", kUseStepForThreads}, {"pthread_create", kUseStepForThreads}, {"fork", kUseStepForThreads},
      {"getenv", kUseStep}, {"secure_getenv", kUseStep},
      {"fopen", kUseStep}, {"freopen", kUseStep}, {"fdopen", kUseStep}, {"open", kUseStep},
      {"openat", kUseStep}, {"creat", kUseStep}, {"read", kUseStep}, {"write", kUseStep},
      {"pread", kUseStep}, {"pwrite", kUseStep}, {"fread", kUseStep}, {"fwrite", kUseStep},
      {"fgets", kUseStep}, {"fputs", kUseStep}, {"fscanf", kUseStep}, {"unlink", kUseStep},
      {"rename", kUseStep}, {"remove", kUseStep}, {"mkdir", kUseStep}, {"opendir", kUseStep},
      {"socket", kUseStep}, {"connect", kUseStep}, {"accept", kUseStep}, {"accept4", kUseStep},
      {"bind", kUseStep}, {"listen", kUseStep}, {"send", kUseStep}, {"sendto", kUseStep},
      {"sendmsg", kUseStep}, {"recv", kUseStep}, {"recvfrom", kUseStep}, {"recvmsg", kUseStep},
      {"getaddrinfo", kUseStep}, {"gethostbyname", kUseStep}, {"system", kUseStep}, {"popen", kUseStep},
  };
  return table;
}

bool is_std_clock(const clang::CXXRecordDecl* record) {
  auto name = qualified_name_of(record);
  return name.rfind("std::chrono::", 0) == 0 && name.size() > 6 &&
         name.compare(name.size() - 6, 6, "_clock") == 0;
}

}  // namespace

std::optional<NondeterministicUse> nondeterministic_call(const clang::FunctionDecl* callee) {
  if (!callee) return std::nullopt;
  if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(callee)) {
    if (method->getName() == "now" && is_std_clock(method->getParent())) {
      return NondeterministicUse{qualified_name_of(method) + "()", std::string(kUseNow)};
    }
    return std::nullopt;
  }
  std::string name = qualified_name_of(callee);
  if (name.rfind("std::", 0) == 0 && !free_functions().count(name)) name.erase(0, 5);
  // Only the C library's and the standard library's functions, not a user's own `read`.
  bool in_std_or_global = callee->getDeclContext()->getRedeclContext()->isTranslationUnit() ||
                          callee->isInStdNamespace() || name.rfind("std::", 0) == 0;
  if (!in_std_or_global) return std::nullopt;
  auto found = free_functions().find(name);
  if (found == free_functions().end()) {
    if (qualified_name_of(callee).rfind("std::filesystem::", 0) == 0)
      return NondeterministicUse{qualified_name_of(callee) + "()", std::string(kUseStep)};
    return std::nullopt;
  }
  if (callee->getDeclContext()->getRedeclContext()->isTranslationUnit() && !callee->isExternC() &&
      !callee->getASTContext().getSourceManager().isInSystemHeader(callee->getLocation()))
    return std::nullopt;  // the user's own ::read(...)
  return NondeterministicUse{qualified_name_of(callee) + "()", std::string(found->second)};
}

std::optional<NondeterministicUse> nondeterministic_construction(const clang::CXXRecordDecl* type) {
  if (!type) return std::nullopt;
  std::string name = qualified_name_of(type);
  if (name == "std::random_device") return NondeterministicUse{name, std::string(kUseRandom)};
  if (name == "std::thread" || name == "std::jthread")
    return NondeterministicUse{name, std::string(kUseStepForThreads)};
  if (name == "std::basic_ifstream" || name == "std::basic_ofstream" || name == "std::basic_fstream")
    return NondeterministicUse{name, std::string(kUseStep)};
  return std::nullopt;
}

}  // namespace workflow::compiler

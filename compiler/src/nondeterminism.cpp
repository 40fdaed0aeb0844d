// The table of non-deterministic calls: see nondeterminism.hpp.
#include "nondeterminism.hpp"

#include "discovery.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/Basic/SourceManager.h>

#include <map>
#include <set>
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

constexpr std::string_view kStartRun =
    "call the workflow directly to run it as a child run, which a replay finds again; or start it "
    "from a [[workflow::step]]";
constexpr std::string_view kOtherRuns =
    "read or control other runs in a [[workflow::step]], whose result is journaled";

// The runtime's own functions that start, read or control runs other than the current one.
const std::map<std::string_view, std::string_view>& runtime_functions() {
  static const std::map<std::string_view, std::string_view> table = {
      {"workflow::start", kStartRun},         {"workflow::start_by_id", kStartRun},
      {"workflow::get_run", kOtherRuns},      {"workflow::list_runs", kOtherRuns},
      {"workflow::list_workflows", kOtherRuns}, {"workflow::inspect_run", kOtherRuns},
      {"workflow::copy_journal", kUseStep},
  };
  return table;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// std::filesystem's free functions touch the disk, except the operators and those that only look
// at a path or at a file_status value already read.
std::optional<NondeterministicUse> filesystem_function(const clang::FunctionDecl* callee, const std::string& name) {
  static const std::set<std::string_view> pure = {"swap", "hash_value", "u8path", "begin", "end", "status_known"};
  if (callee->isOverloadedOperator() || pure.count(std::string_view(name).substr(17))) return std::nullopt;
  if (callee->getNumParams() > 0) {
    const auto* first = callee->getParamDecl(0)->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (first && qualified_name_of(first) == "std::filesystem::file_status") return std::nullopt;
  }
  return NondeterministicUse{name + "()", std::string(kUseStep)};
}

std::optional<NondeterministicUse> method_call(const clang::CXXMethodDecl* method) {
  const auto* parent = method->getParent();
  auto library = outermost_namespace(parent);
  // Operators, constructors and conversions have no identifier; none of them is listed.
  const auto* identifier = method->getIdentifier();
  if ((library != "std" && library != "workflow") || !identifier) return std::nullopt;
  llvm::StringRef name = identifier->getName();
  std::string type = qualified_name_of(parent);
  std::string what = type + "::" + name.str() + "()";
  if (name == "now" && starts_with(type, "std::chrono::") && ends_with(type, "_clock"))
    return NondeterministicUse{what, std::string(kUseNow)};
  if (type == "std::filesystem::directory_entry") {
    static const std::set<llvm::StringRef> path_only = {"path", "swap"};
    if (!path_only.count(name)) return NondeterministicUse{what, std::string(kUseStep)};
  }
  if ((type == "std::filesystem::directory_iterator" || type == "std::filesystem::recursive_directory_iterator") &&
      name == "increment")
    return NondeterministicUse{what, std::string(kUseStep)};
  // Every query of a run handle reads the journal as it is now; every control changes another run.
  if ((type == "workflow::RunHandle" || type == "workflow::Run") && name != "run_id")
    return NondeterministicUse{what, std::string(kOtherRuns)};
  return std::nullopt;
}

}  // namespace

llvm::StringRef outermost_namespace(const clang::Decl* decl) {
  llvm::StringRef name;
  for (const auto* context = decl->getDeclContext(); context; context = context->getParent()) {
    if (const auto* space = llvm::dyn_cast<clang::NamespaceDecl>(context); space && !space->isAnonymousNamespace())
      name = space->getName();
  }
  return name;
}

std::optional<NondeterministicUse> nondeterministic_call(const clang::FunctionDecl* callee) {
  if (!callee) return std::nullopt;
  if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(callee)) return method_call(method);
  auto library = outermost_namespace(callee);
  // Only the C library's, the standard library's and the runtime's functions, not a user's own
  // `read` or `ns::time`.
  if (!library.empty() && library != "std" && library != "workflow") return std::nullopt;
  std::string name = qualified_name_of(callee);
  if (library == "workflow") {
    auto found = runtime_functions().find(name);
    if (found == runtime_functions().end()) return std::nullopt;
    return NondeterministicUse{name + "()", std::string(found->second)};
  }
  if (starts_with(name, "std::filesystem::")) return filesystem_function(callee, name);
  // C functions are also reachable as std::name.
  std::string key = name;
  if (starts_with(key, "std::") && !free_functions().count(key)) key.erase(0, 5);
  auto found = free_functions().find(key);
  if (found == free_functions().end()) return std::nullopt;
  // A C function is never a template: std::remove the algorithm and std::bind the binder share
  // only their names with remove(3) and bind(2).
  if (!starts_with(key, "std::") && (callee->getPrimaryTemplate() || callee->getDescribedFunctionTemplate()))
    return std::nullopt;
  if (library.empty() && !callee->isExternC() &&
      !callee->getASTContext().getSourceManager().isInSystemHeader(callee->getLocation()))
    return std::nullopt;  // the user's own ::read(...)
  return NondeterministicUse{name + "()", std::string(found->second)};
}

std::optional<NondeterministicUse> nondeterministic_construction(const clang::CXXConstructorDecl* constructor) {
  if (!constructor) return std::nullopt;
  const auto* type = constructor->getParent();
  auto library = outermost_namespace(type);
  if (library != "std" && library != "workflow") return std::nullopt;
  std::string name = qualified_name_of(type);
  if (name == "std::random_device") return NondeterministicUse{name, std::string(kUseRandom)};
  if (name == "std::thread" || name == "std::jthread")
    return NondeterministicUse{name, std::string(kUseStepForThreads)};
  if (name == "std::basic_ifstream" || name == "std::basic_ofstream" || name == "std::basic_fstream")
    return NondeterministicUse{name, std::string(kUseStep)};
  // An iterator or entry made from a path reads the directory; an empty one or a copy does not.
  bool from_path = !constructor->isDefaultConstructor() && !constructor->isCopyOrMoveConstructor();
  if (from_path && (name == "std::filesystem::directory_iterator" ||
                    name == "std::filesystem::recursive_directory_iterator" ||
                    name == "std::filesystem::directory_entry"))
    return NondeterministicUse{name, std::string(kUseStep)};
  if (name == "workflow::StreamReader" && !constructor->isCopyOrMoveConstructor())
    return NondeterministicUse{name, std::string(kOtherRuns)};
  return std::nullopt;
}

}  // namespace workflow::compiler

// Must not compile: a workflow parameter type without nlohmann_json conversions. The build error
// names the type (CMake checks for "require_serializable<.*Unserializable>").
#include <workflow/workflow.hpp>

struct Unserializable {
  int handle;
};

int uses_it(Unserializable value) { return value.handle; }

int main() { workflow::start(uses_it, Unserializable{1}); }

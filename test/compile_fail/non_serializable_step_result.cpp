// Must not compile: a step whose result cannot be journaled.
#include <workflow/workflow.hpp>

struct Unserializable {
  int handle;
};

Unserializable open_thing(int x) { return {x}; }

int main() { ::workflow::detail::step_call<&open_thing>("step//./t//open_thing")(1); }

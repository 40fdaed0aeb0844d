// Must not compile: retry options are validated at compile time.
#include <workflow/workflow.hpp>

int step(int x) { return x; }
WORKFLOW_STEP_OPTIONS(step, {.backoff = 0.5});

int main() { ::workflow::detail::step_call<&step>("step//./t//step")(1); }

#pragma once
#include <workflow/workflow.hpp>

[[workflow::step]] int add_constants(int x);
[[workflow::workflow]] int flags_workflow(int x);

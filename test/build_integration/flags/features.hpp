#pragma once
#include <workflow/workflow.hpp>

[[workflow::step]] int triple(int x);
[[workflow::workflow]] int tripled(int x);

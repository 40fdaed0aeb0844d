// The consumer tests' program: one step in a header, one workflow.
#pragma once
#include <workflow/workflow.hpp>
#include <string>

[[workflow::step]] std::string greet(const std::string& name);
[[workflow::workflow]] std::string greet_twice(std::string name);

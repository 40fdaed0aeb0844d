// Must not compile: start() arguments are checked against the workflow's parameters.
#include <workflow/workflow.hpp>

int takes_int(int x) { return x; }

int main() { workflow::start(takes_int, "not an int"); }

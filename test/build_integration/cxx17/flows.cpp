// Never compiled: configuring its project must fail first.
#include <workflow/workflow.hpp>

[[workflow::workflow]] int flow(int x) { return x; }

int main() {}

// wf: the workflow-cpp operator tool. All of it lives in the ops library (runtime/ops/src/).
#include "cli.hpp"

int main(int argc, char** argv) { return workflow::ops::run_wf(argc, argv); }

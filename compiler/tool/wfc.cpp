// wfc: the workflow-cpp compiler. All of it lives in the compiler library (compiler/src/).
#include "wfc_driver.hpp"

int main(int argc, const char** argv) { return workflow::compiler::run_wfc(argc, argv); }

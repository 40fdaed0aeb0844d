// wfc rewrites only the file it compiles: a workflow defined in a header is an error.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#include "Inputs/header_workflow.h"
// CHECK: header_workflow.h:2:35: error: workflow 'workflow_in_header' is defined in a header; wfc rewrites only the source file it compiles, so its step calls would not be journaled [workflow-outside-source]

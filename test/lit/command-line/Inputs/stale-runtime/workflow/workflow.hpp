// Stands in for the headers of another workflow-cpp version (dispatch-interface-version.test).
#define WORKFLOW_DISPATCH_INTERFACE 1

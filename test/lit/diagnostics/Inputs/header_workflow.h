[[workflow::step]] inline int step_in_header(int x) { return x; }
[[workflow::workflow]] inline int workflow_in_header(int x) { return step_in_header(x); }

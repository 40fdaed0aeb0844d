#include "header.h"
[[workflow::workflow]] int order(int cents) { return from_header(cents); }

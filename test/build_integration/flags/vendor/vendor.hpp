// An unused variable: an error under -Wall -Werror unless this directory is searched as SYSTEM.
#pragma once

inline int vendor_value() {
  int unused = 0;
  return 7;
}

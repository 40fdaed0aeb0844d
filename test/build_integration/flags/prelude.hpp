// Force-included into every source of `app` by `-include` among its compile options.
#pragma once

inline constexpr int prelude_answer = 42;

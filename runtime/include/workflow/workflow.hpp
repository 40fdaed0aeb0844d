// workflow-cpp: durable workflows for ordinary C++ functions. Include this one header.
#pragma once

#include <workflow/attributes.hpp>
#include <workflow/config.hpp>
#include <workflow/context.hpp>
#include <workflow/detached.hpp>
#include <workflow/detail/dispatch.hpp>
#include <workflow/errors.hpp>
#include <workflow/events.hpp>
#include <workflow/inspect.hpp>
#include <workflow/journal_copy.hpp>
#include <workflow/parallel.hpp>
#include <workflow/parallel_map.hpp>
#include <workflow/queues.hpp>
#include <workflow/replay_check.hpp>
#include <workflow/run.hpp>
#include <workflow/run_status.hpp>
#include <workflow/schedule_spec.hpp>
#include <workflow/schedules.hpp>
#include <workflow/serialization.hpp>
#include <workflow/start.hpp>
#include <workflow/step_options.hpp>
#include <workflow/store_options.hpp>
#include <workflow/streams.hpp>
#include <workflow/upgrade.hpp>
#include <workflow/versioning.hpp>
#include <workflow/webhooks.hpp>

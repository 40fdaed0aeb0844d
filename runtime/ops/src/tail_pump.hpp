// Sends a StreamTail over a libmicrohttpd connection without holding a polling thread: the tail
// waits for chunks on a thread of its own, and the connection is suspended while there is
// nothing to send and resumed when there is.
#pragma once

#include "stream_tail.hpp"

#include <memory>

struct MHD_Connection;
struct MHD_Response;

namespace workflow::ops {

/// A chunked `text/event-stream` response body fed from `tail`. Call from the access handler;
/// the caller adds headers, queues and destroys the response as usual.
MHD_Response* create_tail_response(MHD_Connection* connection, std::unique_ptr<StreamTail> tail);

/// At shutdown: ends every open tail and resumes its connection (libmicrohttpd must not be
/// stopped with suspended connections), then waits for the tails' threads to finish.
void end_all_tails();

}  // namespace workflow::ops

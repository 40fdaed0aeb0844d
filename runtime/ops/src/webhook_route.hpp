// `POST /hooks/<token>`: a delivery to a webhook (docs/rest-api.md, "Webhooks"). No bearer token:
// the token in the path is the credential.
#pragma once

#include "api_routes.hpp"

namespace workflow::ops {

/// 202 `{"run_id": ...}` for a delivery; 404 (one body for every cause, so nobody learns whether
/// a token ever existed) when the webhook takes none; 413 over its limit; 400 for a body that is
/// not JSON. Checked in that order, so a wrong token is 404 whatever it sends.
HttpResponse post_webhook(const RouteContext& context);

}  // namespace workflow::ops

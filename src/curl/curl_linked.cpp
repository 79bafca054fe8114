// Linked into the unit tests, which run from a folder the module is not in: the transport is this copy,
// registered before main.
#include "curl/curl_entry.hpp"

namespace {

const bool registered = (trailwatch::aws::use_linked_curl_transport(&TRAILWATCH_CURL_ENTRY), true);

}  // namespace

// /metrics and /healthz for the relay's operator.
#include "relay/admin_server.h"

#include <fmt/core.h>

namespace ridealong::relay {

AdminServer::AdminServer(kj::Timer& timer, RelayHub& hub, RelayServer& server)
    : hub_(hub), server_(server), http_(timer, table_, *this) {}

std::string AdminServer::metrics() {
  const auto& c = hub_.counters();
  std::string out;
  auto metric = [&](const char* name, const char* type, const char* help, auto value) {
    out += fmt::format("# HELP ridealong_relay_{0} {1}\n# TYPE ridealong_relay_{0} {2}\nridealong_relay_{0} {3}\n",
                       name, help, type, value);
  };
  metric("connections", "gauge", "Open connections (any state).", server_.connectionCount());
  metric("sessions", "gauge", "Authenticated sessions.", hub_.sessionCount());
  metric("subscriptions", "gauge", "Live subscriptions.", hub_.subscriptionCount());
  metric("queued_bytes", "gauge", "Replies and notifications waiting for sockets.", server_.queuedBytes());
  auto spaces = hub_.store().spaceCount();
  metric("spaces", "gauge", "Registered spaces.", spaces ? *spaces : 0);
  auto size = hub_.store().sizeBytes();
  metric("store_bytes", "gauge", "Size of the store on disk.", size ? *size : 0);
  metric("pushes_total", "counter", "Pushes stored.", c.pushes);
  metric("changes_stored_total", "counter", "Changes stored.", c.changesStored);
  metric("duplicates_total", "counter", "Changes pushed again (ignored).", c.duplicates);
  metric("pulls_total", "counter", "Pull pages served.", c.pulls);
  metric("notifications_total", "counter", "Live notifications sent.", c.notifications);
  metric("bytes_in_total", "counter", "Sealed change bytes received in pushes.", c.bytesIn);
  metric("bytes_out_total", "counter", "Sealed change bytes sent in pulls and notifications.", c.bytesOut);
  metric("auth_ok_total", "counter", "Successful sign-ins.", c.authOk);
  metric("auth_failed_total", "counter", "Failed sign-ins.", c.authFailed);
  metric("tls_failed_total", "counter", "Connections whose TLS handshake failed.", c.tlsFailed);
  metric("spaces_registered_total", "counter", "Spaces registered by this process.", c.registered);
  out +=
      "# HELP ridealong_relay_refusals_total Calls refused, by reason.\n"
      "# TYPE ridealong_relay_refusals_total counter\n";
  for (const char* reason : {"signup", "quota", "rate", "limit", "malformed", "foreign_device", "equivocation", "order",
                             "subscribe", "enrol", "not_reading"}) {
    auto it = c.refusals.find(reason);
    out += fmt::format("ridealong_relay_refusals_total{{reason=\"{}\"}} {}\n", reason,
                       it == c.refusals.end() ? 0 : it->second);
  }
  return out;
}

kj::Promise<void> AdminServer::request(kj::HttpMethod method, kj::StringPtr url, const kj::HttpHeaders&,
                                       kj::AsyncInputStream&, Response& response) {
  kj::HttpHeaders headers(table_);
  auto reply = [&](unsigned status, kj::StringPtr text, std::string body, kj::StringPtr type) -> kj::Promise<void> {
    headers.set(kj::HttpHeaderId::CONTENT_TYPE, type);
    auto stream = response.send(status, text, headers, body.size());
    auto& ref = *stream;
    auto owned = kj::heap<std::string>(std::move(body));
    auto promise = ref.write(owned->data(), owned->size());
    return promise.attach(kj::mv(stream), kj::mv(owned));
  };
  if (method != kj::HttpMethod::GET) return reply(405, "Method Not Allowed", "GET only\n", "text/plain");
  std::string path(url.cStr());
  if (path == "/metrics") return reply(200, "OK", metrics(), "text/plain; version=0.0.4; charset=utf-8");
  if (path == "/healthz") {
    // Healthy: the store answers a read.
    auto spaces = hub_.store().spaceCount();
    if (!spaces) return reply(503, "Service Unavailable", "store: " + spaces.status().toString() + "\n", "text/plain");
    return reply(200, "OK", "ok\n", "text/plain");
  }
  return reply(404, "Not Found", "try /metrics or /healthz\n", "text/plain");
}

}  // namespace ridealong::relay

// The operator's HTTP endpoint (--admin-listen): /metrics in Prometheus
// text format and /healthz. Meant for a private address (loopback, or a
// network only monitoring reaches): it is plain HTTP and shows counts,
// never a space's contents. Single-threaded, on the relay's event loop.
#pragma once

#include <kj/async-io.h>
#include <kj/compat/http.h>

#include <functional>
#include <string>

#include "relay/relay_server.h"
#include "relay/relay_service.h"

namespace ridealong::relay {

class AdminServer final : public kj::HttpService {
 public:
  AdminServer(kj::Timer& timer, RelayHub& hub, RelayServer& server);
  kj::Promise<void> listen(kj::ConnectionReceiver& receiver) { return http_.listenHttp(receiver); }

  // The /metrics body (also for tests and `--check`-style inspection).
  std::string metrics();

  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url, const kj::HttpHeaders& headers,
                            kj::AsyncInputStream& body, Response& response) override;

 private:
  RelayHub& hub_;
  RelayServer& server_;
  kj::HttpHeaderTable table_;
  kj::HttpServer http_;
};

}  // namespace ridealong::relay

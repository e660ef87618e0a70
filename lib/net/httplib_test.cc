// lib/net is the one place cpp-httplib is included (with TLS support): a request over loopback through the wrapper,
// which must compile warning-free wherever it is included.
#include <catch2/catch.hpp>

#include <thread>

#include "net/httplib.h"

TEST_CASE("net/httplib.h: a GET over loopback, with TLS support compiled in") {
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
  FAIL("lib/net must define CPPHTTPLIB_OPENSSL_SUPPORT for its users (https: waits, the Kubernetes client)");
#endif
  httplib::Server server;
  server.Get("/ping", [](const httplib::Request&, httplib::Response& res) { res.set_content("pong", "text/plain"); });
  int port = server.bind_to_any_port("127.0.0.1");
  REQUIRE(port > 0);
  std::thread t([&] { server.listen_after_bind(); });  // bound and listening already: the client may connect now
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5, 0);
  auto res = client.Get("/ping");
  server.stop();
  t.join();
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == "pong");
  httplib::SSLClient tls("127.0.0.1", port);  // exists only with TLS support
  CHECK(tls.is_valid());
}

// A local Kubernetes API test server for the kube tests: httplib::SSLServer on 127.0.0.1 (random port) with
// certificates made by the openssl CLI (a CA, a server certificate with SAN IP:127.0.0.1/DNS:localhost, a client
// certificate, and bad server certificates: another CA, a wrong SAN, self-signed). It keeps objects in memory and
// answers with real API shapes: objects with metadata.resourceVersion, Lists with metadata.continue paging and
// label selectors, metav1.Status errors (reason, details, code), optimistic concurrency on PUT (409 Conflict),
// AlreadyExists on POST. Faults are scripted per request (status, Retry-After, delay, dropped connection), bearer
// tokens are checked, RBAC denials can be configured, and every request is recorded (method, path, verb).
// Watches (GET ...?watch=1): a chunked stream of newline-delimited events after the given resourceVersion, in
// resourceVersion order, filtered by label and field selectors (dotted paths, "="), with BOOKMARK events, ending at
// timeoutSeconds; a resourceVersion older than the compacted history gets an ERROR event with code 410 (or HTTP
// 410, see WatchGoneAsHttp); DropWatches() cuts the streams mid-way. DELETE honours preconditions.uid (409).
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "net/httplib.h"
#include <rapidjson/document.h>

#include "util/base64.h"
#include "kube/client.h"
#include "kube/json.h"
#include "kube/resources.h"
#include "support/test_support.h"

namespace capstan::test {

// Certificates, made once per test process.
struct TestCerts {
  std::string dir;
  std::string ca_crt, ca_key;
  std::string server_crt, server_key;          // signed by ca, SAN IP:127.0.0.1, DNS:localhost
  std::string client_crt, client_key;          // signed by ca, CN=system:serviceaccount:shop:hook
  std::string other_ca_crt;                    // an unrelated CA
  std::string other_server_crt, other_server_key;  // signed by other CA, correct SAN
  std::string wrong_san_crt, wrong_san_key;    // signed by ca, SAN DNS:other.example only
  std::string self_signed_crt, self_signed_key;  // self-signed, correct SAN
};

inline void OpenSsl(const std::vector<std::string>& args, const std::string& cwd) {
  std::vector<std::string> argv = {"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions o;
  o.cwd = cwd;
  o.timeout = std::chrono::milliseconds(60000);
  auto r = Run(argv, o);
  if (r.exit_code != 0) throw std::runtime_error("openssl " + args[0] + " failed: " + r.err);
}

inline const TestCerts& Certs() {
  static TempDir dir;
  static TestCerts certs = [] {
    TestCerts c;
    c.dir = dir.path();
    const std::string& d = c.dir;
    auto key = [&](const std::string& name) {
      OpenSsl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", name}, d);
      return d + "/" + name;
    };
    auto ca = [&](const std::string& name, const std::string& cn) {
      key(name + ".key");
      OpenSsl({"req", "-x509", "-new", "-key", name + ".key", "-out", name + ".crt", "-days", "3", "-subj", "/CN=" + cn,
               "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"},
              d);
    };
    auto leaf = [&](const std::string& name, const std::string& ca_name, const std::string& cn, const std::string& ext) {
      key(name + ".key");
      OpenSsl({"req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn}, d);
      dir.Write(name + ".ext", ext + "\n");
      OpenSsl({"x509", "-req", "-in", name + ".csr", "-CA", ca_name + ".crt", "-CAkey", ca_name + ".key",
               "-CAcreateserial", "-out", name + ".crt", "-days", "3", "-extfile", name + ".ext"},
              d);
    };
    ca("ca", "capstan-test-ca");
    ca("otherca", "unrelated-ca");
    const std::string server_ext = "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth";
    leaf("server", "ca", "kube-apiserver", server_ext);
    leaf("client", "ca", "system:serviceaccount:shop:hook", "extendedKeyUsage=clientAuth");
    leaf("otherserver", "otherca", "kube-apiserver", server_ext);
    leaf("wrongsan", "ca", "kube-apiserver", "subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth");
    key("self.key");
    OpenSsl({"req", "-x509", "-new", "-key", "self.key", "-out", "self.crt", "-days", "3", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"},
            d);
    c.ca_crt = d + "/ca.crt";
    c.ca_key = d + "/ca.key";
    c.server_crt = d + "/server.crt";
    c.server_key = d + "/server.key";
    c.client_crt = d + "/client.crt";
    c.client_key = d + "/client.key";
    c.other_ca_crt = d + "/otherca.crt";
    c.other_server_crt = d + "/otherserver.crt";
    c.other_server_key = d + "/otherserver.key";
    c.wrong_san_crt = d + "/wrongsan.crt";
    c.wrong_san_key = d + "/wrongsan.key";
    c.self_signed_crt = d + "/self.crt";
    c.self_signed_key = d + "/self.key";
    return c;
  }();
  return certs;
}

using capstan::Base64Encode;  // util/base64.h

struct RecordedRequest {
  std::string method, path, query, verb, group, resource, token;
  int status = 0;
};

// A scripted answer for the next `count` requests whose method matches (empty: any) and whose path contains
// `path_contains`.
struct Fault {
  std::string method;
  std::string path_contains;
  int count = 1;
  int status = 500;
  std::string reason = "InternalError";
  std::string message = "injected failure";
  std::map<std::string, std::string> headers;
  int delay_ms = 0;    // sleep before answering
  bool drop = false;   // close the connection without an answer
  bool pass_through = false;  // after delay, answer normally
};

class KubeTestServer {
 public:
  struct Options {
    std::string cert, key;
    std::string client_ca;  // require client certificates signed by this CA
  };

  KubeTestServer() : KubeTestServer(Options{Certs().server_crt, Certs().server_key, ""}) {}
  explicit KubeTestServer(const Options& o)
      : server_(o.cert.c_str(), o.key.c_str(), o.client_ca.empty() ? nullptr : o.client_ca.c_str()) {
    if (!server_.is_valid()) throw std::runtime_error("test server: cannot load certificates");
    accepted_tokens_.insert("good-token");
    auto handler = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
    server_.Get(".*", handler);
    server_.Post(".*", handler);
    server_.Put(".*", handler);
    server_.Patch(".*", handler);
    server_.Delete(".*", handler);
    server_.set_read_timeout(5, 0);
    // Watches hold a worker each for their whole stream: room for several drivers' watches and their requests.
    server_.new_task_queue = [] { return new httplib::ThreadPool(64); };
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("test server: cannot bind 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // The socket already listens (bind_to_any_port); wait briefly for the accept loop to start.
    for (int i = 0; i < 2000 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~KubeTestServer() {
    {
      std::lock_guard<std::mutex> g(mu_);
      stopping_ = true;
    }
    changed_.notify_all();
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  int port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

  // ---- state ----
  void SetTokens(std::set<std::string> tokens) {
    std::lock_guard<std::mutex> g(mu_);
    accepted_tokens_ = std::move(tokens);
  }
  void RequireToken(bool on) { require_token_ = on; }
  // Called (under no lock) when a request carries a rejected token; used to simulate rotation.
  void OnRejectedToken(std::function<void(const std::string&)> fn) { on_rejected_ = std::move(fn); }
  void Forbid(const std::string& verb, const std::string& resource) {
    std::lock_guard<std::mutex> g(mu_);
    forbidden_.insert(verb + " " + resource);
  }
  void AddFault(Fault f) {
    std::lock_guard<std::mutex> g(mu_);
    faults_.push_back(std::move(f));
  }
  void ClearFaults() {
    std::lock_guard<std::mutex> g(mu_);
    faults_.clear();
  }
  // Stores an object at its path (adds kind-less metadata.resourceVersion). json must be an object.
  void Put(const std::string& path, const std::string& json) {
    std::lock_guard<std::mutex> g(mu_);
    kube::JsonDoc d = kube::ParseJson(json, path);
    SetResourceVersion(d);
    bool existed = objects_.count(path) > 0;
    objects_[path] = kube::ToJson(d);
    Record(existed ? "MODIFIED" : "ADDED", path, objects_[path]);
  }
  // As Put, only when the object still exists (a controller's status update must not resurrect a deleted object).
  bool PutIfExists(const std::string& path, const std::string& json) {
    std::lock_guard<std::mutex> g(mu_);
    if (!objects_.count(path)) return false;
    kube::JsonDoc d = kube::ParseJson(json, path);
    SetResourceVersion(d);
    objects_[path] = kube::ToJson(d);
    Record("MODIFIED", path, objects_[path]);
    return true;
  }
  std::string Object(const std::string& path) {
    std::lock_guard<std::mutex> g(mu_);
    auto it = objects_.find(path);
    return it == objects_.end() ? "" : it->second;
  }
  void Remove(const std::string& path) {
    std::lock_guard<std::mutex> g(mu_);
    auto it = objects_.find(path);
    if (it == objects_.end()) return;
    kube::JsonDoc d = kube::ParseJson(it->second, path);
    SetResourceVersion(d);
    Record("DELETED", path, kube::ToJson(d));
    objects_.erase(it);
  }
  // Objects whose path starts with prefix (path -> JSON).
  std::map<std::string, std::string> Objects(const std::string& prefix) {
    std::lock_guard<std::mutex> g(mu_);
    std::map<std::string, std::string> out;
    for (auto it = objects_.lower_bound(prefix); it != objects_.end() && it->first.rfind(prefix, 0) == 0; ++it)
      out.insert(*it);
    return out;
  }
  // ---- watches ----
  // Forget the history: a watch resuming from any resourceVersion handed out so far gets 410 Gone (lists and
  // bookmarks from now on hand out the compaction point, which is valid).
  void CompactHistory() {
    std::lock_guard<std::mutex> g(mu_);
    compacted_rv_ = ++resource_version_;
    changes_.clear();
  }
  // Cut every watch stream in flight whose path contains path_contains (the client sees the connection drop).
  void DropWatches(const std::string& path_contains = "") {
    std::lock_guard<std::mutex> g(mu_);
    ++drop_generation_;
    drops_.emplace_back(drop_generation_, path_contains);
    changed_.notify_all();
  }
  void WatchGoneAsHttp(bool on) { gone_as_http_ = on; }
  void SetBookmarkInterval(std::chrono::milliseconds d) { bookmark_ms_ = static_cast<int>(d.count()); }
  int ActiveWatches() { return active_watches_.load(); }
  std::vector<RecordedRequest> Requests() {
    std::lock_guard<std::mutex> g(mu_);
    return requests_;
  }
  void ClearRequests() {
    std::lock_guard<std::mutex> g(mu_);
    requests_.clear();
  }
  // Called for every request before it is served (after faults); may mutate state through Put().
  void OnRequest(std::function<void(const RecordedRequest&)> fn) { on_request_ = std::move(fn); }

  static std::string StatusJson(int code, const std::string& reason, const std::string& message,
                                const std::string& kind = "", const std::string& name = "",
                                const std::string& group = "") {
    rapidjson::Document d(rapidjson::kObjectType);
    auto& a = d.GetAllocator();
    kube::SetString(d, "kind", "Status", a);
    kube::SetString(d, "apiVersion", "v1", a);
    d.AddMember("metadata", rapidjson::Value(rapidjson::kObjectType), a);
    kube::SetString(d, "status", "Failure", a);
    kube::SetString(d, "message", message, a);
    kube::SetString(d, "reason", reason, a);
    rapidjson::Value details(rapidjson::kObjectType);
    if (!name.empty()) kube::SetString(details, "name", name, a);
    if (!group.empty()) kube::SetString(details, "group", group, a);
    if (!kind.empty()) kube::SetString(details, "kind", kind, a);
    d.AddMember("details", details, a);
    d.AddMember("code", code, a);
    return kube::ToJson(d);
  }

 private:
  void SetResourceVersion(kube::JsonDoc& d) {
    auto& a = d.GetAllocator();
    if (!d.HasMember("metadata")) d.AddMember("metadata", rapidjson::Value(rapidjson::kObjectType), a);
    kube::SetString(d["metadata"], "resourceVersion", std::to_string(++resource_version_), a);
  }

  // Appends to the change history (under mu_) and wakes the watches.
  void Record(const std::string& type, const std::string& path, const std::string& json) {
    changes_.push_back({resource_version_, type, path, json});
    if (changes_.size() > 100000) changes_.pop_front();
    changed_.notify_all();
  }

  static bool FieldsMatch(const rapidjson::Value& obj, const std::string& selector) {
    for (const auto& term : Split(selector, ',', true)) {
      size_t eq = term.find('=');
      if (eq == std::string::npos) return false;
      bool negate = eq > 0 && term[eq - 1] == '!';
      std::string key = term.substr(0, negate ? eq - 1 : eq);
      std::string value = term.substr(term.size() > eq + 1 && term[eq + 1] == '=' ? eq + 2 : eq + 1);
      const rapidjson::Value* cur = &obj;
      for (const auto& part : Split(key, '.', false)) {
        if (cur == nullptr || !cur->IsObject() || !cur->HasMember(part.c_str())) {
          cur = nullptr;
          break;
        }
        cur = &(*cur)[part.c_str()];
      }
      std::string actual = cur != nullptr && cur->IsString() ? cur->GetString() : "";
      if ((actual == value) == negate) return false;
    }
    return true;
  }

  struct Change {
    long long rv;
    std::string type, path, json;
  };

  struct WatchState {
    std::string coll, label_selector, field_selector;
    long long rv = 0;
    std::chrono::steady_clock::time_point end, next_bookmark;
    bool bookmarks = false;
    long long drop_generation = 0;
    std::string path;
  };

  // One call of the chunked content provider: sends what changed after st.rv (waiting a little for it), a bookmark
  // when due; ends the stream at its timeout, aborts it when dropped or when the server stops.
  bool WatchStep(WatchState& st, httplib::DataSink& sink) {
    std::string out;
    bool done = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto pending = [&] {
        if (stopping_ || drop_generation_ != st.drop_generation) return true;
        return !changes_.empty() && changes_.back().rv > st.rv;
      };
      changed_.wait_for(lock, std::chrono::milliseconds(50), pending);
      if (stopping_) return false;
      if (drop_generation_ != st.drop_generation) {
        for (const auto& [gen, d] : drops_)
          if (gen > st.drop_generation && st.path.find(d) != std::string::npos) return false;
        st.drop_generation = drop_generation_;
      }
      for (const auto& c : changes_) {
        if (c.rv <= st.rv) continue;
        st.rv = c.rv;
        if (c.path.rfind(st.coll + "/", 0) != 0 || c.path.find('/', st.coll.size() + 1) != std::string::npos) continue;
        kube::JsonDoc d = kube::ParseJson(c.json, c.path);
        if (!Matches(d, st.label_selector) || !FieldsMatch(d, st.field_selector)) continue;
        out += "{\"type\":\"" + c.type + "\",\"object\":" + c.json + "}\n";
      }
      auto now = std::chrono::steady_clock::now();
      if (st.bookmarks && now >= st.next_bookmark) {
        st.rv = std::max({st.rv, resource_version_, compacted_rv_});
        out += R"({"type":"BOOKMARK","object":{"kind":"Bookmark","metadata":{"resourceVersion":")" +
               std::to_string(st.rv) + R"("}}})" + "\n";
        st.next_bookmark = now + std::chrono::milliseconds(bookmark_ms_.load());
      }
      done = now >= st.end;
    }
    if (!out.empty() && !sink.write(out.data(), out.size())) return false;
    if (done) sink.done();
    return true;
  }

  void ServeWatch(const httplib::Request& req, httplib::Response& res, RecordedRequest& rec, const std::string& coll) {
    // Called under mu_.
    auto st = std::make_shared<WatchState>();
    st->coll = coll;
    st->path = req.path;
    st->label_selector = req.has_param("labelSelector") ? req.get_param_value("labelSelector") : "";
    st->field_selector = req.has_param("fieldSelector") ? req.get_param_value("fieldSelector") : "";
    std::string rv = req.has_param("resourceVersion") ? req.get_param_value("resourceVersion") : "";
    st->rv = rv.empty() || rv == "0" ? resource_version_ : std::stoll(rv);
    int timeout = req.has_param("timeoutSeconds") ? std::stoi(req.get_param_value("timeoutSeconds")) : 1800;
    st->end = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
    st->bookmarks = req.has_param("allowWatchBookmarks") && req.get_param_value("allowWatchBookmarks") == "true";
    st->next_bookmark = std::chrono::steady_clock::now() + std::chrono::milliseconds(bookmark_ms_.load());
    st->drop_generation = drop_generation_;
    rec.status = 200;
    if (st->rv < compacted_rv_) {
      std::string gone = StatusJson(410, "Expired", "too old resource version: " + rv + " (" +
                                                        std::to_string(compacted_rv_) + ")");
      rec.status = 410;
      requests_.push_back(rec);
      if (gone_as_http_) {
        res.status = 410;
        res.set_content(gone, "application/json");
      } else {
        res.status = 200;
        res.set_content("{\"type\":\"ERROR\",\"object\":" + gone + "}\n", "application/json");
      }
      return;
    }
    requests_.push_back(rec);
    res.status = 200;
    res.set_chunked_content_provider("application/json", [this, st](size_t, httplib::DataSink& sink) {
      return WatchStep(*st, sink);
    }, [this](bool) { --active_watches_; });
    ++active_watches_;
  }

  static bool Matches(const rapidjson::Value& obj, const std::string& selector) {
    if (selector.empty()) return true;
    const rapidjson::Value* labels = kube::Find(obj, {"metadata", "labels"});
    for (const auto& term : Split(selector, ',', true)) {
      size_t ne = term.find("!=");
      size_t eq = term.find('=');
      std::string key = term.substr(0, ne != std::string::npos ? ne : eq);
      std::string value;
      if (ne != std::string::npos)
        value = term.substr(ne + 2);
      else if (eq != std::string::npos)
        value = term.substr(term[eq + 1] == '=' ? eq + 2 : eq + 1);
      bool has = labels != nullptr && labels->IsObject() && labels->HasMember(key.c_str()) &&
                 (*labels)[key.c_str()].IsString();
      std::string actual = has ? (*labels)[key.c_str()].GetString() : "";
      if (ne != std::string::npos) {
        if (has && actual == value) return false;
      } else if (eq != std::string::npos) {
        if (!has || actual != value) return false;
      } else if (!has) {
        return false;
      }
    }
    return true;
  }

  static std::vector<std::string> Split(const std::string& s, char sep, bool skip_empty) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
      size_t pos = s.find(sep, start);
      std::string part = s.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
      if (!skip_empty || !part.empty()) out.push_back(part);
      if (pos == std::string::npos) break;
      start = pos + 1;
    }
    return out;
  }

  static void MergePatch(rapidjson::Value& target, const rapidjson::Value& patch,
                         rapidjson::Document::AllocatorType& a) {
    if (!patch.IsObject()) {
      target.CopyFrom(patch, a);
      return;
    }
    if (!target.IsObject()) target.SetObject();
    for (const auto& m : patch.GetObject()) {
      if (m.value.IsNull()) {
        target.RemoveMember(m.name.GetString());
        continue;
      }
      auto it = target.FindMember(m.name.GetString());
      if (it == target.MemberEnd()) {
        rapidjson::Value k(m.name, a);
        rapidjson::Value v(rapidjson::kObjectType);
        MergePatch(v, m.value, a);
        target.AddMember(k, v, a);
      } else {
        MergePatch(it->value, m.value, a);
      }
    }
  }

  void Send(httplib::Response& res, RecordedRequest& rec, int status, const std::string& body) {
    res.status = status;
    res.set_content(body, "application/json");
    rec.status = status;
    std::lock_guard<std::mutex> g(mu_);
    requests_.push_back(rec);
  }

  void Handle(const httplib::Request& req, httplib::Response& res) {
    RecordedRequest rec;
    rec.method = req.method;
    rec.path = req.path;
    std::string query;
    for (const auto& [k, v] : req.params) query += (query.empty() ? "" : "&") + k + "=" + v;
    rec.query = query;
    kube::PathTarget target = kube::ParseResourcePath(req.path);
    rec.verb = kube::RbacVerb(req.method, target, query);
    rec.group = target.group;
    rec.resource = target.resource;
    std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) == 0) rec.token = auth.substr(7);

    // Scripted faults first.
    Fault fault;
    bool faulted = false;
    {
      std::lock_guard<std::mutex> g(mu_);
      for (auto it = faults_.begin(); it != faults_.end(); ++it) {
        if ((!it->method.empty() && it->method != req.method) || req.path.find(it->path_contains) == std::string::npos)
          continue;
        fault = *it;
        faulted = true;
        if (--it->count <= 0) faults_.erase(it);
        break;
      }
    }
    if (faulted) {
      if (fault.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(fault.delay_ms));
      if (fault.drop) {
        rec.status = -1;
        {
          std::lock_guard<std::mutex> g(mu_);
          requests_.push_back(rec);
        }
        res.set_content_provider(
            1000, "application/json", [](size_t, size_t, httplib::DataSink&) { return false; });
        return;
      }
      if (!fault.pass_through) {
        for (const auto& [k, v] : fault.headers) res.set_header(k, v);
        Send(res, rec, fault.status, StatusJson(fault.status, fault.reason, fault.message));
        return;
      }
    }

    if (require_token_) {
      bool ok;
      {
        std::lock_guard<std::mutex> g(mu_);
        ok = !rec.token.empty() && accepted_tokens_.count(rec.token) > 0;
      }
      bool client_cert = false;
      if (!ok && req.ssl != nullptr) {
        X509* peer = SSL_get1_peer_certificate(req.ssl);
        client_cert = peer != nullptr;
        X509_free(peer);
      }
      if (!ok && !client_cert) {
        if (on_rejected_) on_rejected_(rec.token);
        Send(res, rec, 401, StatusJson(401, "Unauthorized", "Unauthorized"));
        return;
      }
    }
    {
      bool denied;
      {
        std::lock_guard<std::mutex> g(mu_);
        denied = forbidden_.count(rec.verb + " " + rec.resource) > 0;
      }
      if (denied) {
        std::string group_text = target.group.empty() ? "\"\"" : "\"" + target.group + "\"";
        Send(res, rec, 403,
             StatusJson(403, "Forbidden",
                        rec.resource + " is forbidden: User \"system:serviceaccount:shop:hook\" cannot " + rec.verb +
                            " resource \"" + rec.resource + "\" in API group " + group_text + " in the namespace \"" +
                            target.ns + "\"",
                        rec.resource, target.name, target.group));
        return;
      }
    }
    if (on_request_) on_request_(rec);
    if (!target.ok) {
      Send(res, rec, 404, StatusJson(404, "NotFound", "the server could not find the requested resource"));
      return;
    }
    std::string coll = req.path;
    if (!target.name.empty()) coll = req.path.substr(0, req.path.rfind('/'));
    std::string singular = target.resource.substr(0, target.resource.size() - 1);
    std::lock_guard<std::mutex> g(mu_);
    auto not_found = [&]() {
      res.status = 404;
      res.set_content(StatusJson(404, "NotFound", target.resource + " \"" + target.name + "\" not found",
                                 target.resource, target.name, target.group),
                      "application/json");
      rec.status = 404;
      requests_.push_back(rec);
    };
    auto reply = [&](int status, const std::string& body) {
      res.status = status;
      res.set_content(body, "application/json");
      rec.status = status;
      requests_.push_back(rec);
    };
    if (req.method == "GET" && !target.name.empty()) {
      auto it = objects_.find(req.path);
      if (it == objects_.end()) return not_found();
      return reply(200, it->second);
    }
    if (req.method == "GET" && req.has_param("watch") &&
        (req.get_param_value("watch") == "1" || req.get_param_value("watch") == "true")) {
      ServeWatch(req, res, rec, coll);
      return;
    }
    if (req.method == "GET") {
      std::string field_selector = req.has_param("fieldSelector") ? req.get_param_value("fieldSelector") : "";
      std::string selector = req.has_param("labelSelector") ? req.get_param_value("labelSelector") : "";
      size_t limit = req.has_param("limit") ? std::stoul(req.get_param_value("limit")) : 0;
      size_t offset = 0;
      if (req.has_param("continue")) {
        auto decoded = Base64Decode(req.get_param_value("continue"));
        if (!decoded || decoded->rfind("offset:", 0) != 0)
          return reply(400, StatusJson(400, "BadRequest", "continue key is not valid"));
        offset = std::stoul(decoded->substr(7));
      }
      std::vector<std::string> matching;
      for (const auto& [p, body] : objects_) {
        if (p.rfind(coll + "/", 0) != 0 || p.find('/', coll.size() + 1) != std::string::npos) continue;
        kube::JsonDoc d = kube::ParseJson(body, p);
        if (Matches(d, selector) && FieldsMatch(d, field_selector)) matching.push_back(body);
      }
      rapidjson::Document list(rapidjson::kObjectType);
      auto& a = list.GetAllocator();
      std::string kind;
      for (const auto& k : kube::Kinds())
        if (k.resource == target.resource) kind = k.kind;
      kube::SetString(list, "kind", kind + "List", a);
      kube::SetString(list, "apiVersion", target.group.empty() ? target.version : target.group + "/" + target.version, a);
      rapidjson::Value meta(rapidjson::kObjectType);
      kube::SetString(meta, "resourceVersion", std::to_string(std::max(resource_version_, compacted_rv_)), a);
      size_t end = limit == 0 ? matching.size() : std::min(matching.size(), offset + limit);
      if (end < matching.size()) kube::SetString(meta, "continue", Base64Encode("offset:" + std::to_string(end)), a);
      list.AddMember("metadata", meta, a);
      rapidjson::Value items(rapidjson::kArrayType);
      for (size_t i = offset; i < end; ++i) {
        kube::JsonDoc item = kube::ParseJson(matching[i], "item");
        item.RemoveMember("kind");  // real list items carry no kind/apiVersion
        item.RemoveMember("apiVersion");
        items.PushBack(rapidjson::Value(item, a), a);
      }
      list.AddMember("items", items, a);
      return reply(200, kube::ToJson(list));
    }
    if (req.method == "POST") {
      kube::JsonDoc d;
      d.Parse(req.body.c_str(), req.body.size());
      if (d.HasParseError() || !d.IsObject()) return reply(400, StatusJson(400, "BadRequest", "invalid JSON body"));
      std::string name = kube::GetString(d, {"metadata", "name"});
      std::string path = coll + "/" + name;
      if (objects_.count(path))
        return reply(409, StatusJson(409, "AlreadyExists", target.resource + " \"" + name + "\" already exists",
                                     target.resource, name, target.group));
      auto& a = d.GetAllocator();
      if (!d.HasMember("metadata")) d.AddMember("metadata", rapidjson::Value(rapidjson::kObjectType), a);
      kube::SetString(d["metadata"], "namespace", target.ns, a);
      kube::SetString(d["metadata"], "uid", "uid-" + std::to_string(resource_version_ + 1), a);
      SetResourceVersion(d);
      objects_[path] = kube::ToJson(d);
      Record("ADDED", path, objects_[path]);
      return reply(201, objects_[path]);
    }
    if (req.method == "PUT" || req.method == "PATCH") {
      auto it = objects_.find(req.path);
      if (it == objects_.end()) return not_found();
      kube::JsonDoc body;
      body.Parse(req.body.c_str(), req.body.size());
      if (body.HasParseError() || !body.IsObject())
        return reply(400, StatusJson(400, "BadRequest", "invalid JSON body"));
      kube::JsonDoc current = kube::ParseJson(it->second, req.path);
      if (req.method == "PUT") {
        std::string want = kube::GetString(body, {"metadata", "resourceVersion"});
        std::string have = kube::GetString(current, {"metadata", "resourceVersion"});
        if (!want.empty() && want != have)
          return reply(409, StatusJson(409, "Conflict",
                                       "Operation cannot be fulfilled on " + target.resource + " \"" + target.name +
                                           "\": the object has been modified; please apply your changes to the "
                                           "latest version and try again",
                                       target.resource, target.name, target.group));
        current.CopyFrom(body, current.GetAllocator());
      } else {
        if (req.get_header_value("Content-Type") != "application/merge-patch+json" &&
            req.get_header_value("Content-Type") != "application/strategic-merge-patch+json")
          return reply(415, StatusJson(415, "UnsupportedMediaType", "the body of the request was in an unknown format"));
        MergePatch(current, body, current.GetAllocator());
      }
      SetResourceVersion(current);
      it->second = kube::ToJson(current);
      Record("MODIFIED", req.path, it->second);
      return reply(200, it->second);
    }
    if (req.method == "DELETE" && !target.name.empty()) {
      auto it = objects_.find(req.path);
      if (it == objects_.end()) return not_found();
      kube::JsonDoc current = kube::ParseJson(it->second, req.path);
      if (!req.body.empty()) {
        kube::JsonDoc opts;
        opts.Parse(req.body.c_str(), req.body.size());
        if (opts.HasParseError() || !opts.IsObject())
          return reply(400, StatusJson(400, "BadRequest", "invalid DeleteOptions body"));
        std::string want = kube::GetString(opts, {"preconditions", "uid"});
        std::string have = kube::GetString(current, {"metadata", "uid"});
        if (!want.empty() && want != have)
          return reply(409, StatusJson(409, "Conflict",
                                       "Operation cannot be fulfilled on " + target.resource + " \"" + target.name +
                                           "\": Precondition failed: UID in precondition: " + want +
                                           ", UID in object meta: " + have,
                                       target.resource, target.name, target.group));
      }
      SetResourceVersion(current);
      std::string body = kube::ToJson(current);
      Record("DELETED", req.path, body);
      objects_.erase(it);
      return reply(200, body);
    }
    reply(405, StatusJson(405, "MethodNotAllowed", "method not allowed"));
  }

  httplib::SSLServer server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::map<std::string, std::string> objects_;
  std::set<std::string> accepted_tokens_;
  std::set<std::string> forbidden_;
  std::vector<Fault> faults_;
  std::vector<RecordedRequest> requests_;
  std::atomic<bool> require_token_{true};
  std::function<void(const std::string&)> on_rejected_;
  std::function<void(const RecordedRequest&)> on_request_;
  long long resource_version_ = 1000;
  long long compacted_rv_ = 0;
  std::deque<Change> changes_;
  std::condition_variable changed_;
  bool stopping_ = false;
  long long drop_generation_ = 0;
  std::vector<std::pair<long long, std::string>> drops_;  // generation -> path part
  std::atomic<bool> gone_as_http_{false};
  std::atomic<int> bookmark_ms_{200};
  std::atomic<int> active_watches_{0};
};

// A Config pointing at the server with the test CA and a token.
inline kube::Config TestConfig(const KubeTestServer& s, const std::string& token = "good-token") {
  kube::Config c;
  c.host = "127.0.0.1";
  c.port = s.port();
  c.ca_file = Certs().ca_crt;
  c.token = token;
  c.namespace_name = "shop";
  c.source = "test config";
  return c;
}

// Fast retries for tests.
inline kube::ClientOptions FastOptions() {
  kube::ClientOptions o;
  o.backoff_base = std::chrono::milliseconds(5);
  o.backoff_max = std::chrono::milliseconds(50);
  o.read_timeout = std::chrono::milliseconds(3000);
  o.connect_timeout = std::chrono::milliseconds(3000);
  return o;
}

// A kubeconfig file for the server (token user, CA inline) written into dir.
inline std::string WriteKubeconfig(const TempDir& dir, const KubeTestServer& s, const std::string& token = "good-token") {
  std::string ca = Base64Encode(Slurp(Certs().ca_crt));
  return dir.Write("kubeconfig", "apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n- name: test\n"
                                 "  cluster:\n    server: " + s.url() + "\n    certificate-authority-data: " + ca +
                                     "\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: hook\n"
                                     "    namespace: shop\nusers:\n- name: hook\n  user:\n    token: " + token + "\n");
}

}  // namespace capstan::test

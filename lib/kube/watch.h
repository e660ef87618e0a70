// Kubernetes watches: the newline-delimited watch-event stream parser (incremental: chunks may split lines anywhere),
// and a Reflector, the list-then-watch cache of one collection (kind + namespace + label/field selectors) kept
// current by a thread of its own. The reflector resumes a dropped or server-ended watch from the last
// resourceVersion it saw (bookmarks included), relists when the server answers 410 Gone (HTTP 410 or an ERROR event
// with code 410), and retries 429/5xx and connection errors through Client::Stream's backoff. Stop() cancels the
// stream in flight and joins the thread.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kube/client.h"
#include "kube/json.h"
#include "kube/resources.h"

namespace capstan::kube {

struct WatchEvent {
  std::string type;  // ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
  JsonDoc object;
};

// Splits a watch stream into events. Feed() any chunk; each complete line is parsed and handed to on_event (return
// false to stop: Feed returns false). Throws Error naming the line's position when a line is not a watch event
// (not JSON, not an object, no "type", no object "object") or a line exceeds max_line bytes.
class WatchStreamParser {
 public:
  explicit WatchStreamParser(size_t max_line = 16u << 20) : max_line_(max_line) {}
  bool Feed(std::string_view chunk, const std::function<bool(WatchEvent&)>& on_event);
  size_t events() const { return events_; }

 private:
  bool Line(std::string_view line, const std::function<bool(WatchEvent&)>& on_event);
  size_t max_line_;
  std::string pending_;
  size_t events_ = 0;
};
// Parses one watch event line (as WatchStreamParser does); throws Error.
WatchEvent ParseWatchEvent(std::string_view line);

struct WatchTarget {
  Kind kind;
  std::string ns;
  std::string label_selector;  // "app=web,tier=db"
  std::string field_selector;  // "metadata.name=web"
  std::chrono::seconds timeout{300};  // timeoutSeconds of one watch request; the reflector then resumes
};

// Query string (without '?') of a watch request.
std::string WatchQuery(const WatchTarget& target, const std::string& resource_version);

class Reflector {
 public:
  // Called on the reflector's thread after each change of the cache (also for the differences a relist finds):
  // type ADDED / MODIFIED / DELETED and the object; initial is true for the objects of the first list.
  using OnChange = std::function<void(const std::string& type, const Json& object, bool initial)>;

  Reflector(Client& client, WatchTarget target, OnChange on_change);
  ~Reflector();
  Reflector(const Reflector&) = delete;
  Reflector& operator=(const Reflector&) = delete;

  void Start();
  void Stop();  // idempotent; joins the thread

  bool synced() const;                 // the first list is in
  std::string failure() const;         // non-empty after a permanent error (403, API unreachable): the thread ended
  int failure_exit_code() const;
  int relists() const { return relists_.load(); }
  int watches() const { return watches_.load(); }
  // Copies of the cached objects, by metadata.name.
  std::map<std::string, JsonDoc> Items() const;
  std::string Describe() const;  // "pods in shop (app=web)"

 private:
  void Loop();
  void Relist();
  bool Sleep(std::chrono::milliseconds d);  // false when stopped
  void Apply(const std::string& type, const Json& object, bool initial);

  Client& client_;
  WatchTarget target_;
  OnChange on_change_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  StreamCancel cancel_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, JsonDoc> items_;
  std::string resource_version_;
  bool synced_ = false;
  std::string failure_;
  int failure_exit_code_ = 0;
  std::atomic<int> relists_{0};
  std::atomic<int> watches_{0};
};

}  // namespace capstan::kube

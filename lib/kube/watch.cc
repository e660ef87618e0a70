#include "kube/watch.h"

#include <exception>

#include "log/log.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::kube {

WatchEvent ParseWatchEvent(std::string_view line) {
  WatchEvent ev;
  JsonDoc d;
  d.Parse(line.data(), line.size());
  if (d.HasParseError() || !d.IsObject())
    throw Error("watch stream: a line is not a JSON object (" + ServerText(line.substr(0, 200)) + ")");
  ev.type = GetString(d, {"type"});
  if (ev.type.empty()) throw Error("watch stream: an event has no \"type\" (" + ServerText(line.substr(0, 200)) + ")");
  auto it = d.FindMember("object");
  if (it == d.MemberEnd() || !it->value.IsObject())
    throw Error("watch stream: the " + ev.type + " event has no object");
  ev.object.CopyFrom(it->value, ev.object.GetAllocator());
  return ev;
}

bool WatchStreamParser::Line(std::string_view line, const std::function<bool(WatchEvent&)>& on_event) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (line.empty()) return true;
  WatchEvent ev = ParseWatchEvent(line);
  ++events_;
  return on_event(ev);
}

bool WatchStreamParser::Feed(std::string_view chunk, const std::function<bool(WatchEvent&)>& on_event) {
  while (!chunk.empty()) {
    size_t nl = chunk.find('\n');
    if (nl == std::string_view::npos) {
      if (pending_.size() + chunk.size() > max_line_)
        throw Error("watch stream: an event is longer than " + std::to_string(max_line_) + " bytes");
      pending_.append(chunk);
      return true;
    }
    bool go;
    if (pending_.empty()) {
      go = Line(chunk.substr(0, nl), on_event);
    } else {
      if (pending_.size() + nl > max_line_)
        throw Error("watch stream: an event is longer than " + std::to_string(max_line_) + " bytes");
      pending_.append(chunk.substr(0, nl));
      std::string line = std::move(pending_);
      pending_.clear();
      go = Line(line, on_event);
    }
    chunk.remove_prefix(nl + 1);
    if (!go) return false;
  }
  return true;
}

std::string WatchQuery(const WatchTarget& t, const std::string& rv) {
  std::string q = "watch=1&allowWatchBookmarks=true&resourceVersion=" + UrlEncode(rv) +
                  "&timeoutSeconds=" + std::to_string(t.timeout.count());
  if (!t.label_selector.empty()) q += "&labelSelector=" + UrlEncode(t.label_selector);
  if (!t.field_selector.empty()) q += "&fieldSelector=" + UrlEncode(t.field_selector);
  return q;
}

Reflector::Reflector(Client& client, WatchTarget target, OnChange on_change)
    : client_(client), target_(std::move(target)), on_change_(std::move(on_change)) {}

Reflector::~Reflector() { Stop(); }

void Reflector::Start() { thread_ = std::thread([this] { Loop(); }); }

void Reflector::Stop() {
  stop_.store(true);
  {
    std::lock_guard<std::mutex> g(mu_);
    cv_.notify_all();
  }
  cancel_.Cancel();
  if (thread_.joinable()) thread_.join();
}

bool Reflector::synced() const {
  std::lock_guard<std::mutex> g(mu_);
  return synced_;
}
std::string Reflector::failure() const {
  std::lock_guard<std::mutex> g(mu_);
  return failure_;
}
int Reflector::failure_exit_code() const {
  std::lock_guard<std::mutex> g(mu_);
  return failure_exit_code_;
}

std::map<std::string, JsonDoc> Reflector::Items() const {
  std::lock_guard<std::mutex> g(mu_);
  std::map<std::string, JsonDoc> out;
  for (const auto& [name, obj] : items_) out[name].CopyFrom(obj, out[name].GetAllocator());
  return out;
}

std::string Reflector::Describe() const {
  std::string sel = target_.label_selector;
  if (!target_.field_selector.empty()) sel += (sel.empty() ? "" : ",") + target_.field_selector;
  return target_.kind.resource + " in " + target_.ns + (sel.empty() ? "" : " (" + sel + ")");
}

bool Reflector::Sleep(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, d, [&] { return stop_.load(); });
  return !stop_.load();
}

void Reflector::Apply(const std::string& type, const Json& object, bool initial) {
  std::string name = GetString(object, {"metadata", "name"});
  {
    std::lock_guard<std::mutex> g(mu_);
    if (type == "DELETED") {
      items_.erase(name);
    } else {
      JsonDoc& slot = items_[name];
      slot.CopyFrom(object, slot.GetAllocator());
    }
    std::string rv = GetString(object, {"metadata", "resourceVersion"});
    if (!rv.empty()) resource_version_ = rv;
  }
  if (on_change_) on_change_(type, object, initial);
}

void Reflector::Relist() {
  JsonDoc list = client_.List(target_.kind, target_.ns, target_.label_selector, 500, target_.field_selector);
  std::map<std::string, const Json*> fresh;
  if (const Json* items = Find(list, {"items"}); items != nullptr && items->IsArray())
    for (const auto& it : items->GetArray()) fresh[GetString(it, {"metadata", "name"})] = &it;
  bool initial;
  std::vector<std::string> gone;
  std::map<std::string, bool> changed;  // name -> is new
  {
    std::lock_guard<std::mutex> g(mu_);
    initial = !synced_;
    for (const auto& [name, obj] : items_)
      if (!fresh.count(name)) gone.push_back(name);
    for (const auto& [name, obj] : fresh) {
      auto it = items_.find(name);
      if (it == items_.end())
        changed[name] = true;
      else if (GetString(it->second, {"metadata", "resourceVersion"}) != GetString(*obj, {"metadata", "resourceVersion"}))
        changed[name] = false;
    }
  }
  for (const auto& name : gone) {
    JsonDoc last;
    {
      std::lock_guard<std::mutex> g(mu_);
      last.CopyFrom(items_[name], last.GetAllocator());
    }
    Apply("DELETED", last, initial);
  }
  for (const auto& [name, is_new] : changed) Apply(is_new ? "ADDED" : "MODIFIED", *fresh[name], initial);
  std::lock_guard<std::mutex> g(mu_);
  resource_version_ = GetString(list, {"metadata", "resourceVersion"});
  synced_ = true;
  cv_.notify_all();
}

void Reflector::Loop() {
  bool need_list = true;
  int quick_failures = 0;
  while (!stop_.load()) {
    try {
      if (need_list) {
        if (relists_.load() > 0 || watches_.load() > 0) log::Debug("relisting", {{"watch", Describe()}});
        Relist();
        ++relists_;
        need_list = false;
      }
      std::string rv;
      {
        std::lock_guard<std::mutex> g(mu_);
        rv = resource_version_;
      }
      std::string path = ResourcePath(target_.kind, target_.ns) + "?" + WatchQuery(target_, rv);
      WatchStreamParser parser;
      bool gone = false;
      ++watches_;
      auto started = std::chrono::steady_clock::now();
      std::exception_ptr stream_error;  // thrown by the parser: carried out of httplib's receiver, rethrown here
      client_.Stream(
          path,
          [&](std::string_view chunk) {
            try {
            return parser.Feed(chunk, [&](WatchEvent& ev) {
              if (stop_.load()) return false;
              if (ev.type == "ERROR") {
                int code = static_cast<int>(GetIntOr(ev.object, {"code"}, 0));
                if (code == 410) {
                  gone = true;
                  return false;
                }
                throw Error("watch of " + Describe() + ": the server sent an error event (code " +
                            std::to_string(code) + ": " + ServerText(GetString(ev.object, {"message"})) + ")");
              }
              if (ev.type == "BOOKMARK") {
                std::string brv = GetString(ev.object, {"metadata", "resourceVersion"});
                std::lock_guard<std::mutex> g(mu_);
                if (!brv.empty()) resource_version_ = brv;
                return true;
              }
              if (ev.type != "ADDED" && ev.type != "MODIFIED" && ev.type != "DELETED") return true;
              Apply(ev.type, ev.object, false);
              return true;
            });
            } catch (...) {
              stream_error = std::current_exception();
              return false;
            }
          },
          &cancel_, std::chrono::milliseconds(target_.timeout) + std::chrono::seconds(30));
      if (stream_error) std::rethrow_exception(stream_error);
      if (gone) {
        log::Info("watch expired (410 Gone): relisting", {{"watch", Describe()}});
        need_list = true;
        continue;
      }
      // A watch the server ended at once (no event) many times in a row: back off a little.
      if (parser.events() == 0 && std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) {
        if (!Sleep(std::chrono::milliseconds(std::min(2000, 50 << std::min(quick_failures++, 5))))) break;
      } else {
        quick_failures = 0;
      }
    } catch (const ApiError& e) {
      if (e.status() == 410) {
        log::Info("watch expired (410 Gone): relisting", {{"watch", Describe()}});
        need_list = true;
        continue;
      }
      std::lock_guard<std::mutex> g(mu_);
      failure_ = e.what();
      failure_exit_code_ = e.exit_code();
      break;
    } catch (const Error& e) {
      if (stop_.load()) break;
      if (e.exit_code() == kExitPrecondition) {
        // The API was unreachable through all of the client's retries: keep trying (the caller's timeout bounds
        // the wait), resuming from the last resourceVersion.
        log::Warn("watch interrupted, retrying", {{"watch", Describe()}, {"error", e.what()}});
        if (!Sleep(std::chrono::milliseconds(std::min(5000, 500 << std::min(quick_failures++, 4))))) break;
        continue;
      }
      std::lock_guard<std::mutex> g(mu_);
      failure_ = std::string("watch of ") + Describe() + ": " + e.what();
      failure_exit_code_ = e.exit_code();
      break;
    }
  }
  if (on_change_ && !failure().empty()) {
    JsonDoc none(rapidjson::kObjectType);
    on_change_("FAILED", none, false);
  }
}

}  // namespace capstan::kube

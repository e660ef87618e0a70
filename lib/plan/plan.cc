#include "plan/plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "util/error.h"
#include "util/strings.h"

namespace capstan::plan {

namespace {

std::string Key(const Fingerprint& f) { return f.namespace_ + "/" + f.kind + "/" + f.name; }

// The shortest list-item prefix of path ("spec.containers[sidecar]") that no path of other starts with: the item
// was added (or removed) as a whole. Empty when every item on the way exists on the other side.
std::string NewItem(const std::string& path, const std::map<std::string, std::string>& other) {
  for (size_t pos = path.find(']'); pos != std::string::npos; pos = path.find(']', pos + 1)) {
    std::string prefix = path.substr(0, pos + 1);
    auto it = other.lower_bound(prefix);
    if (it == other.end() || !StartsWith(it->first, prefix)) return prefix;
  }
  return "";
}

Reason TemplateReason(const Fingerprint& o, const Fingerprint& n) {
  std::set<std::string> paths;
  // Images in clear and the digests of other fields: both are leaves of the same template.
  std::map<std::string, std::string> of = o.fields, nf = n.fields;
  for (const auto& [p, v] : o.images) of[p] = "image:" + v;
  for (const auto& [p, v] : n.images) nf[p] = "image:" + v;
  for (const auto& [p, v] : nf) {
    auto it = of.find(p);
    if (it == of.end()) {
      std::string item = NewItem(p, of);
      paths.insert(item.empty() ? p : item + " (added)");
    } else if (it->second != v && !(o.images.count(p) && n.images.count(p))) {  // image changes are their own reason
      paths.insert(p);
    }
  }
  for (const auto& [p, v] : of)
    if (!nf.count(p)) {
      std::string item = NewItem(p, nf);
      paths.insert(item.empty() ? p : item + " (removed)");
    }
  // A list's order ("spec.volumes (order)") changes with every insertion or removal, which names its item: the order
  // is a reason of its own only when the list kept its items.
  constexpr std::string_view kOrder = " (order)";
  for (auto it = paths.begin(); it != paths.end();) {
    bool order = it->size() > kOrder.size() && it->compare(it->size() - kOrder.size(), kOrder.size(), kOrder) == 0;
    std::string list = order ? it->substr(0, it->size() - kOrder.size()) + "[" : "";
    bool item_changed = order && std::any_of(paths.begin(), paths.end(), [&](const std::string& p) {
      return StartsWith(p, list) && (p.find(" (added)") != std::string::npos || p.find(" (removed)") != std::string::npos);
    });
    it = item_changed ? paths.erase(it) : std::next(it);
  }
  Reason r;
  r.type = Reason::Type::kTemplate;
  for (const auto& p : paths) {
    if (r.paths.size() < kMaxPaths) r.paths.push_back(p);
    else ++r.more;
  }
  return r;
}

void ConfigReasons(const Fingerprint& o, const Fingerprint& n, std::vector<Reason>& out) {
  std::map<std::string, const ConfigFingerprint*> oc, nc;
  for (const auto& c : o.config) oc[c.Ref()] = &c;
  for (const auto& c : n.config) nc[c.Ref()] = &c;
  std::set<std::string> refs;
  for (const auto& [r, c] : oc) refs.insert(r);
  for (const auto& [r, c] : nc) refs.insert(r);
  for (const auto& ref : refs) {
    Reason r;
    r.type = Reason::Type::kConfig;
    r.object = ref;
    auto oi = oc.find(ref), ni = nc.find(ref);
    if (oi == oc.end()) {
      r.change = "added";
    } else if (ni == nc.end()) {
      r.change = "removed";
    } else if (oi->second->present != ni->second->present) {
      r.change = ni->second->present ? "created" : "deleted";
    } else {
      const auto &ok = oi->second->keys, &nk = ni->second->keys;
      for (const auto& [k, d] : nk) {
        auto it = ok.find(k);
        if (it == ok.end()) r.keys_added.push_back(k);
        else if (it->second != d) r.keys.push_back(k);
      }
      for (const auto& [k, d] : ok)
        if (!nk.count(k)) r.keys_removed.push_back(k);
      if (r.keys.empty() && r.keys_added.empty() && r.keys_removed.empty()) continue;
      r.change = "changed";
    }
    out.push_back(std::move(r));
  }
}

Entry Diff(const Fingerprint& o, const Fingerprint& n) {
  Entry e{n.kind, n.namespace_.empty() ? o.namespace_ : n.namespace_, n.name, Status::kUnchanged, n.rollout, {}};
  if (n.config_rolls) ConfigReasons(o, n, e.reasons);
  for (const auto& [path, image] : n.images) {
    auto it = o.images.find(path);
    if (it == o.images.end() || it->second == image) continue;
    Reason r;
    r.type = Reason::Type::kImage;
    r.container = path.substr(0, path.size() - 6);  // without ".image"
    r.old_image = it->second;
    r.new_image = image;
    e.reasons.push_back(std::move(r));
  }
  Reason t = TemplateReason(o, n);
  if (!t.paths.empty()) e.reasons.push_back(std::move(t));
  if (!e.reasons.empty()) e.status = Status::kRolls;
  return e;
}

}  // namespace

const char* StatusName(Status s) {
  switch (s) {
    case Status::kRolls: return "rolls";
    case Status::kAdded: return "added";
    case Status::kRemoved: return "removed";
    case Status::kUnchanged: return "unchanged";
  }
  return "unchanged";
}

const char* ReasonTypeName(Reason::Type t) {
  switch (t) {
    case Reason::Type::kConfig: return "config";
    case Reason::Type::kImage: return "image";
    case Reason::Type::kTemplate: return "template";
  }
  return "template";
}

size_t Plan::Count(Status s) const {
  return static_cast<size_t>(
      std::count_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.status == s; }));
}

Plan Compare(const std::vector<Fingerprint>& old_release, const std::vector<Fingerprint>& new_release) {
  std::string old_alg, new_alg, old_key, new_key;
  for (const auto& f : old_release) old_alg = f.algorithm, old_key = f.key_id;
  for (const auto& f : new_release) new_alg = f.algorithm, new_key = f.key_id;
  if (!old_alg.empty() && !new_alg.empty() && old_alg != new_alg)
    throw UsageError("the old release's digests are " + old_alg + " and the new one's " + new_alg +
                     ": they cannot be compared. Make both with the same --hmac-key-file (or both without one)");
  if (!old_alg.empty() && !new_alg.empty() && old_key != new_key)
    throw UsageError("the old and the new release's digests were made with different HMAC keys (key " + old_key +
                     " and " + new_key + "): every field would read as changed. Make both with the same "
                     "--hmac-key-file");
  std::map<std::string, size_t> old_by_key;
  for (size_t i = 0; i < old_release.size(); ++i) old_by_key.emplace(Key(old_release[i]), i);
  std::vector<bool> matched(old_release.size(), false);
  Plan plan;
  for (const auto& n : new_release) {
    const Fingerprint* o = nullptr;
    if (auto it = old_by_key.find(Key(n)); it != old_by_key.end() && !matched[it->second]) {
      o = &old_release[it->second];
      matched[it->second] = true;
    } else {
      // One side's namespace unknown (a stream rendered without -n against a report): match by kind and name.
      for (size_t i = 0; i < old_release.size(); ++i) {
        const auto& c = old_release[i];
        if (!matched[i] && c.kind == n.kind && c.name == n.name && (c.namespace_.empty() || n.namespace_.empty())) {
          o = &c;
          matched[i] = true;
          break;
        }
      }
    }
    if (o) {
      plan.entries.push_back(Diff(*o, n));
    } else {
      plan.entries.push_back({n.kind, n.namespace_, n.name, Status::kAdded, n.rollout, {}});
    }
  }
  for (size_t i = 0; i < old_release.size(); ++i)
    if (!matched[i]) {
      const auto& o = old_release[i];
      plan.entries.push_back({o.kind, o.namespace_, o.name, Status::kRemoved, o.rollout, {}});
    }
  return plan;
}

Plan FirstDeploy(const std::vector<Fingerprint>& new_release) {
  Plan plan = Compare({}, new_release);
  plan.first_deploy = true;
  return plan;
}

std::string Effect(const Entry& e) {
  switch (e.rollout) {
    case Rollout::kRollingUpdate: return "rolls";
    case Rollout::kRecreate: return "rolls (strategy Recreate: every pod stops before the new ones start)";
    case Rollout::kOnDelete:
      return "does not roll by itself (updateStrategy OnDelete): run `capstan roll` to replace its pods";
    case Rollout::kRunsAgain:
      return e.kind == "CronJob" ? "runs again (its next scheduled Job uses the change)" : "runs again";
    case Rollout::kNoRollout: return "is not rolled (nothing replaces the running pods of a bare " + e.kind + ")";
  }
  return "rolls";
}

std::string Why(const Entry& e) {
  std::vector<std::string> parts;
  for (const auto& r : e.reasons) {
    switch (r.type) {
      case Reason::Type::kConfig: {
        if (r.change != "changed") {
          static const std::map<std::string, std::string> what = {{"added", "now used"},
                                                                  {"removed", "no longer used"},
                                                                  {"created", "now in the release"},
                                                                  {"deleted", "no longer in the release"}};
          auto it = what.find(r.change);
          parts.push_back(r.object + " " + (it == what.end() ? r.change : it->second));
          break;
        }
        std::vector<std::string> k;
        for (const auto& x : r.keys) k.push_back(x);
        for (const auto& x : r.keys_added) k.push_back(x + " (added)");
        for (const auto& x : r.keys_removed) k.push_back(x + " (removed)");
        parts.push_back(r.object + " key" + (k.size() == 1 ? " " : "s ") + JoinLimited(k, ", "));
        break;
      }
      case Reason::Type::kImage:
        parts.push_back("image " + r.container + ": " + r.old_image + " -> " + r.new_image);
        break;
      case Reason::Type::kTemplate:
        parts.push_back("template " + Join(r.paths, ", ") +
                        (r.more ? " and " + std::to_string(r.more) + " more" : ""));
        break;
    }
  }
  return Join(parts, "; ");
}

}  // namespace capstan::plan

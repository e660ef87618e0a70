#include "postrender/filters/checksum_filter.h"

#include "digest/sha256.h"
#include "manifest/selector.h"
#include "manifest/workload_annotation.h"
#include "postrender/config.h"
#include "postrender/namespaces.h"
#include "postrender/where.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::postrender {

namespace {

bool IsConfigKind(const DocInfo& info, manifest::ConfigKind* kind) {
  if (!info.object.is_object || info.object.api_version != "v1") return false;
  if (info.object.kind == "ConfigMap") *kind = manifest::ConfigKind::kConfigMap;
  else if (info.object.kind == "Secret") *kind = manifest::ConfigKind::kSecret;
  else return false;
  return true;
}

// Length-prefixed, so no key or name can forge another's entry.
void Field(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
  out += ';';
}

}  // namespace

void ChecksumFilter::DeclareOptions(OptionTable& t, Config& c) {
  ChecksumOptions& o = c.checksum;
  t.Bool("checksum", &o.enabled, "Config digest annotations (default on)").Alias("checksum.enabled");
  t.Text("annotation", &o.annotation, "Digest annotation name").Alias("checksum.annotation");
  t.Text("opt-out-annotation", &o.opt_out_annotation,
         "Annotation that opts a workload out (\"false\") or, with --opt-in, in (\"true\")")
      .Alias("checksum.optOutAnnotation");
  t.Bool("opt-in", &o.opt_in, "Only workloads annotated capstan.dev/checksum: \"true\" get a digest")
      .Alias("checksum.optIn");
  t.Text("digest-env", &o.env_name, "Also set this environment variable to the digest in every container")
      .Alias("checksum.env");
  t.Text("hmac-key-file", &c.hmac_key_file,
         "Key for HMAC digests (or CAPSTAN_HMAC_KEY): secrets cannot be brute-forced from the annotation")
      .Alias("checksum.hmacKeyFile");
  t.Bool("strict", &o.strict, "Fail when a workload references an object not in the release").Alias("checksum.strict");
  t.List("workload-kind", [&o](const std::string& v) { o.extra_kinds.push_back(ParseWorkloadKind(v)); },
         "Extra workload kind: GROUP/KIND=PATH (e.g. example.com/Foo=spec.template)")
      .Alias("checksum.workloadKinds")
      .FileReader([&o](const yaml::Node& list, const ConfigFileReader& r) {
        if (!list.IsSequence()) r.Fail(list, "expected a list of GROUP/KIND=PATH");
        for (const auto& k : list.Items()) {
          if (k.IsScalar()) {
            o.extra_kinds.push_back(ParseWorkloadKind(r.Str(k)));
            continue;
          }
          r.Keys(k, {"group", "kind", "path"});  // the older form: {group, kind, path}
          manifest::WorkloadKind wk;
          wk.group = k.Get("group") ? r.Str(k.Get("group")) : "*";
          if (!k.Get("kind") || !k.Get("path")) r.Fail(k, "a workload kind needs kind and path");
          wk.kind = r.Str(k.Get("kind"));
          for (const auto& part : Split(r.Str(k.Get("path")), '.', true)) wk.template_path.push_back(part);
          o.extra_kinds.push_back(wk);
        }
      });
}

bool ChecksumFilter::Observes(const DocInfo& info) const {
  manifest::ConfigKind k;
  return options_.enabled && IsConfigKind(info, &k);
}

void ChecksumFilter::Observe(const DocInfo& info, const yaml::Node& root) {
  manifest::ConfigKind kind;
  if (!IsConfigKind(info, &kind)) return;
  Seen seen{manifest::ReadConfigData(root, kind), info.object.IsHook(), info.index(), info.source};
  std::lock_guard<std::mutex> l(mu_);
  Key key{info.namespace_, kind, info.object.name};
  auto [it, inserted] = objects_.emplace(key, std::move(seen));
  if (!inserted) {
    // Helm would fail to apply two objects with the same name; keep the first, say so.
    duplicates_[key]++;
  }
}

void ChecksumFilter::Prepare(Report& report) {
  for (const auto& entry : objects_)
    by_name_.emplace(std::make_pair(std::get<1>(entry.first), std::get<2>(entry.first)), &entry);
  for (const auto& [key, n] : duplicates_) {
    const auto& [ns, kind, name] = key;
    report.AddFinding({findings::Severity::kWarning, "duplicate-object",
                       std::string(manifest::ConfigKindName(kind)) + "/" + name + " in " + DescribeNamespace(ns) +
                           " appears " + std::to_string(n + 1) + " times in the release; the first is used",
                       objects_[key].document, std::string(manifest::ConfigKindName(kind)) + "/" + name,
                       objects_[key].source});
  }
  for (const auto& [key, seen] : objects_)
    for (const auto& p : seen.data.problems)
      report.AddFinding({findings::Severity::kWarning, "invalid-data", p + " (its text is hashed as is)", seen.document,
                         std::string(manifest::ConfigKindName(std::get<1>(key))) + "/" + std::get<2>(key),
                         seen.source});
}

std::vector<const std::pair<const ChecksumFilter::Key, ChecksumFilter::Seen>*> ChecksumFilter::Resolve(
    const std::string& ns, manifest::ConfigKind kind, const std::string& name) const {
  if (auto it = objects_.find(Key{ns, kind, name}); it != objects_.end()) return {&*it};
  std::vector<const std::pair<const Key, Seen>*> maybe;
  auto [first, last] = by_name_.equal_range({kind, name});
  for (auto it = first; it != last; ++it)
    if (CompareNamespaces(ns, std::get<0>(it->second->first)) == SameNamespace::kMaybe) maybe.push_back(it->second);
  return maybe;
}

std::vector<const std::pair<const ChecksumFilter::Key, ChecksumFilter::Seen>*> ChecksumFilter::Elsewhere(
    const std::string& ns, manifest::ConfigKind kind, const std::string& name) const {
  std::vector<const std::pair<const Key, Seen>*> other;
  auto [first, last] = by_name_.equal_range({kind, name});
  for (auto it = first; it != last; ++it)
    if (CompareNamespaces(ns, std::get<0>(it->second->first)) == SameNamespace::kNo) other.push_back(it->second);
  return other;
}

bool ChecksumFilter::Wants(const DocInfo& info) const {
  return options_.enabled && manifest::IsWorkloadKind(info.object, options_.extra_kinds);
}

std::string ChecksumFilter::Digest(const std::string& canonical) const {
  if (!options_.hmac_key.empty()) {
    HmacSha256 h(options_.hmac_key);
    h.Update(canonical);
    return "hmac-sha256:" + h.HexDigest();
  }
  return "sha256:" + Sha256::Hex(canonical);
}

void ChecksumFilter::Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report& report) {
  manifest::PodTemplate tmpl = manifest::FindPodTemplate(root, info.object, options_.extra_kinds);
  if (!tmpl.node) return;
  WorkloadEntry entry;
  entry.document = info.index();
  entry.kind = info.object.kind;
  entry.name = info.object.name;
  entry.namespace_ = info.namespace_;
  entry.source = info.source;
  entry.hook = info.object.IsHook();
  entry.labels = manifest::ReadLabels(root);  // what check-upgrade --deployed reads versions from
  for (const auto& c : tmpl.spec().Get("containers").Items())
    entry.containers.emplace_back(c.Get("name").scalar(), c.Get("image").scalar());

  std::string optv = ToLower(manifest::WorkloadAnnotation(root, tmpl, options_.opt_out_annotation));
  if (optv == "false" || (options_.opt_in && optv != "true")) {
    entry.skipped = optv == "false" ? "opted out (" + options_.opt_out_annotation + ": \"false\")"
                                    : "opt-in mode and not annotated " + options_.opt_out_annotation + ": \"true\"";
    report.AddWorkload(std::move(entry));
    return;
  }

  std::vector<manifest::ConfigRef> refs = manifest::FindConfigRefs(tmpl.spec());
  if (refs.empty()) {
    entry.skipped = "consumes no ConfigMap or Secret";
    report.AddWorkload(std::move(entry));
    return;
  }

  std::string canonical = "capstan-config-digest/v1;";
  for (const auto& ref : refs) {
    ConsumedConfig cc;
    cc.kind = manifest::ConfigKindName(ref.kind);
    cc.name = ref.name;
    cc.all_keys = ref.all_keys;
    cc.keys.assign(ref.keys.begin(), ref.keys.end());
    cc.optional = ref.optional;
    cc.via = ref.via;
    std::string part;
    Field(part, cc.kind);
    Field(part, ref.name);
    auto found = Resolve(info.namespace_, ref.kind, ref.name);
    auto where = [](const std::pair<const Key, Seen>* o) {
      return DescribeNamespace(std::get<0>(o->first)) + ", " +
             Where(o->second.document, std::string(manifest::ConfigKindName(std::get<1>(o->first))) + "/" +
                                           std::get<2>(o->first),
                   o->second.source);
    };
    if (found.empty()) {
      cc.present = false;
      Field(part, "absent");
      std::string msg = cc.kind + "/" + ref.name + " (used by " + JoinLimited(ref.via, ", ") +
                        ") is not in the release (an existingSecret, or created by a hook or another controller): "
                        "its changes cannot roll this workload";
      if (auto other = Elsewhere(info.namespace_, ref.kind, ref.name); !other.empty()) {
        // The release has it, in another namespace: a pod only consumes objects of its own namespace.
        msg = cc.kind + "/" + ref.name + " (used by " + JoinLimited(ref.via, ", ") + ") is not in this workload's " +
              DescribeNamespace(info.namespace_) +
              (info.object.namespace_.empty() && !options_.namespace_source.empty()
                   ? " (the release namespace, from " + options_.namespace_source + ")"
                   : "") +
              "; the release has it in " + where(other.front()) +
              (other.size() > 1 ? " and " + std::to_string(other.size() - 1) + " more" : "") +
              ". A pod only consumes objects of its own namespace: if Helm's -n differs from the namespace "
              "Capstan was given, pass --post-renderer-args --namespace=<the -n value>";
      }
      bool fail = options_.strict && !ref.optional;
      report.AddFinding({fail ? findings::Severity::kError : (ref.optional ? findings::Severity::kInfo : findings::Severity::kWarning), "missing-reference", msg,
                         info.index(), info.object.Ref(), info.source});
    } else {
      if (found.size() > 1) {
        // The release namespace is unknown and several namespaces hold an object of this name: hash them all (a
        // change to any rolls the workload: never a lost roll), and say which.
        Field(part, "ambiguous");
        std::string msg = cc.kind + "/" + ref.name + " (used by " + JoinLimited(ref.via, ", ") +
                          ") is ambiguous: this workload is in " + DescribeNamespace(info.namespace_) +
                          ", and each of these may be in it: ";
        for (size_t i = 0; i < found.size(); ++i) {
          msg += (i ? "; " : "") + where(found[i]);
          if (i == 9 && found.size() > 10) {
            msg += "; and " + std::to_string(found.size() - 10) + " more";
            break;
          }
        }
        msg += ". The digest covers all of them (a change to any rolls the workload). Give the release namespace "
               "(--post-renderer-args --namespace=NS, or export HELM_NAMESPACE) so that it names one";
        report.AddFinding({options_.strict ? findings::Severity::kError : findings::Severity::kWarning,
                           "ambiguous-reference", msg, info.index(), info.object.Ref(), info.source});
      }
      for (const auto* object : found) {
        if (found.size() > 1) Field(part, std::get<0>(object->first));
        const auto& data = object->second.data.key_digests;
        if (ref.all_keys) {
          for (const auto& [k, d] : data) {
            Field(part, k);
            Field(part, d);
          }
        } else {
          for (const auto& k : ref.keys) {
            Field(part, k);
            auto kd = data.find(k);
            Field(part, kd == data.end() ? "absent" : kd->second);
            if (kd == data.end() && !ref.optional)
              report.AddFinding({findings::Severity::kWarning, "missing-key",
                                 cc.kind + "/" + ref.name + " has no key " + Quote(k) + " (used by " +
                                     JoinLimited(ref.via, ", ") + ")",
                                 info.index(), info.object.Ref(), info.source});
          }
        }
      }
    }
    cc.digest = Digest(part);
    std::string prev = report.PreviousSourceDigest(info.namespace_, info.object.kind, info.object.name,
                                                   cc.kind + "/" + cc.name);
    if (!prev.empty() && prev != cc.digest) entry.changed.push_back(cc.kind + "/" + cc.name);
    canonical += part;
    entry.consumes.push_back(std::move(cc));
  }
  entry.digest = Digest(canonical);
  entry.previous_digest = report.PreviousDigest(info.namespace_, info.object.kind, info.object.name);

  std::vector<std::string> path = tmpl.path;
  editor.Set(root, [&] {
    std::vector<std::string> p = path;
    p.insert(p.end(), {"metadata", "annotations", options_.annotation});
    return p;
  }(), yaml::Snippet::String(entry.digest));
  if (!options_.env_name.empty()) {
    for (const char* list : {"initContainers", "containers"}) {
      for (const auto& ctr : tmpl.spec().Get(list).Items()) {
        yaml::Node existing;
        for (const auto& ev : ctr.Get("env").Items())
          if (ev.Get("name").IsScalar() && ev.Get("name").scalar() == options_.env_name) existing = ev;
        if (existing) {
          editor.Set(existing, {"value"}, yaml::Snippet::String(entry.digest));
        } else {
          yaml::Snippet var = yaml::Snippet::Map();
          var.Set("name", yaml::Snippet::String(options_.env_name));
          var.Set("value", yaml::Snippet::String(entry.digest));
          editor.Prepend(ctr, {"env"}, var);
        }
      }
    }
  }
  report.AddChange({"checksum", info.index(), info.object.Ref(),
                    "set " + options_.annotation + " over " + std::to_string(entry.consumes.size()) +
                        " ConfigMap/Secret reference(s)"});
  report.AddWorkload(std::move(entry));
}

}  // namespace capstan::postrender

#include "postrender/report.h"

#include <algorithm>

#include <rapidjson/document.h>

#include "capstan_version.h"
#include "plan/render.h"
#include "plan/report_json.h"
#include "util/error.h"
#include "util/json_writer.h"

namespace capstan::postrender {

void Report::SetRun(std::string release, std::string ns, std::string input_format, size_t documents) {
  std::lock_guard<std::mutex> l(mu_);
  release_ = std::move(release);
  namespace_ = std::move(ns);
  input_format_ = std::move(input_format);
  documents_ = documents;
}

void Report::AddWorkload(WorkloadEntry w) {
  std::lock_guard<std::mutex> l(mu_);
  workloads_.push_back(std::move(w));
}

void Report::AddFinding(Finding f) {
  std::lock_guard<std::mutex> l(mu_);
  findings_.push_back(std::move(f));
}

void Report::AddChange(Change c) {
  std::lock_guard<std::mutex> l(mu_);
  changes_.push_back(std::move(c));
}

void Report::LoadPrevious(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("workloads") || !d["workloads"].IsArray())
    throw UsageError("the previous report is not a capstan-postrender JSON report (expected a 'workloads' list)");
  std::lock_guard<std::mutex> l(mu_);
  for (const auto& w : d["workloads"].GetArray()) {
    if (!w.IsObject()) continue;
    auto str = [&](const rapidjson::Value& o, const char* k) {
      return o.HasMember(k) && o[k].IsString() ? std::string(o[k].GetString(), o[k].GetStringLength()) : "";
    };
    std::string key = str(w, "namespace") + "/" + str(w, "kind") + "/" + str(w, "name");
    previous_[key] = str(w, "digest");
    if (w.HasMember("consumes") && w["consumes"].IsArray())
      for (const auto& c : w["consumes"].GetArray())
        if (c.IsObject()) previous_[key + "|" + str(c, "kind") + "/" + str(c, "name")] = str(c, "digest");
  }
}

std::string Report::PreviousDigest(const std::string& ns, const std::string& kind, const std::string& name) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = previous_.find(ns + "/" + kind + "/" + name);
  return it == previous_.end() ? "" : it->second;
}

std::string Report::PreviousSourceDigest(const std::string& ns, const std::string& kind, const std::string& name,
                                         const std::string& source_ref) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = previous_.find(ns + "/" + kind + "/" + name + "|" + source_ref);
  return it == previous_.end() ? "" : it->second;
}

void Report::SetFingerprints(std::vector<plan::Fingerprint> fingerprints) {
  std::lock_guard<std::mutex> l(mu_);
  fingerprints_ = std::move(fingerprints);
}

void Report::SetPlan(plan::Plan p) {
  std::lock_guard<std::mutex> l(mu_);
  plan_ = std::move(p);
}

std::vector<Finding> Report::Findings() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<Finding> f = findings_;
  std::stable_sort(f.begin(), f.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.document, a.rule, a.message) < std::tie(b.document, b.rule, b.message);
  });
  return f;
}

std::vector<WorkloadEntry> Report::Workloads() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<WorkloadEntry> w = workloads_;
  std::sort(w.begin(), w.end(), [](const WorkloadEntry& a, const WorkloadEntry& b) { return a.document < b.document; });
  return w;
}

size_t Report::CountFindings(findings::Severity severity) const {
  std::lock_guard<std::mutex> l(mu_);
  return static_cast<size_t>(std::count_if(findings_.begin(), findings_.end(),
                                           [&](const Finding& f) { return f.severity == severity; }));
}

std::string Report::ToJson() const {
  std::vector<WorkloadEntry> workloads = Workloads();
  std::vector<Finding> findings = Findings();
  std::vector<Change> changes;
  std::vector<plan::Fingerprint> fingerprints;
  std::optional<plan::Plan> the_plan;
  {
    std::lock_guard<std::mutex> l(mu_);
    changes = changes_;
    fingerprints = fingerprints_;
    the_plan = plan_;
  }
  // Each workload entry carries its fingerprint; a fingerprinted workload without an entry (the checksum filter
  // off) gets an entry of its own, so that the report can be compared.
  std::map<std::string, const plan::Fingerprint*> fingerprint_of;
  for (const auto& f : fingerprints) fingerprint_of.emplace(f.namespace_ + "/" + f.kind + "/" + f.name, &f);
  for (const auto& wl : workloads) fingerprint_of.erase(wl.namespace_ + "/" + wl.kind + "/" + wl.name);
  for (const auto& f : fingerprints)
    if (fingerprint_of.count(f.namespace_ + "/" + f.kind + "/" + f.name)) {
      WorkloadEntry e;
      e.kind = f.kind;
      e.name = f.name;
      e.namespace_ = f.namespace_;
      e.source = f.source;
      e.skipped = "no config digest (the checksum filter is off)";
      workloads.push_back(std::move(e));
    }
  fingerprint_of.clear();
  for (const auto& f : fingerprints) fingerprint_of.emplace(f.namespace_ + "/" + f.kind + "/" + f.name, &f);
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Change& a, const Change& b) { return a.document < b.document; });
  JsonWriter w(2);
  w.StartObject()
      .Field("tool", "capstan-postrender")
      .Field("version", CAPSTAN_VERSION)
      .Field("release", release_)
      .Field("namespace", namespace_)
      .Field("inputFormat", input_format_)
      .Field("documents", uint64_t{documents_});
  w.StartArray("workloads");
  for (const auto& wl : workloads) {
    w.StartObject()
        .Field("document", uint64_t{wl.document})
        .Field("kind", wl.kind)
        .Field("name", wl.name)
        .Field("namespace", wl.namespace_)
        .Field("source", wl.source)
        .Field("hook", wl.hook)
        .Field("digest", wl.digest)
        .FieldIfSet("skipped", wl.skipped);
    if (!wl.previous_digest.empty())
      w.Field("previousDigest", wl.previous_digest).Field("rolls", wl.previous_digest != wl.digest);
    w.StartArray("changed");
    for (const auto& c : wl.changed) w.String(c);
    w.EndArray();
    w.StartArray("consumes");
    for (const auto& c : wl.consumes) {
      w.StartObject().Field("kind", c.kind).Field("name", c.name).Key("keys");
      if (c.all_keys) {
        w.String("*");
      } else {
        w.StartArray();
        for (const auto& k : c.keys) w.String(k);
        w.EndArray();
      }
      w.Field("present", c.present).Field("optional", c.optional).StartArray("via");
      for (const auto& v : c.via) w.String(v);
      w.EndArray().Field("digest", c.digest).EndObject();
    }
    w.EndArray();
    if (!wl.labels.empty()) {
      w.StartObject("labels");
      for (const auto& [k, v] : wl.labels) w.Field(k, v);
      w.EndObject();
    }
    if (!wl.containers.empty()) {
      w.StartArray("containers");
      for (const auto& [name, image] : wl.containers) w.StartObject().Field("name", name).Field("image", image).EndObject();
      w.EndArray();
    }
    if (auto it = fingerprint_of.find(wl.namespace_ + "/" + wl.kind + "/" + wl.name); it != fingerprint_of.end()) {
      w.Key("fingerprint");
      plan::WriteFingerprint(w, *it->second);
    }
    w.EndObject();
  }
  w.EndArray();
  if (the_plan) {
    w.Key("plan");
    plan::WritePlan(w, *the_plan);
  }
  w.StartArray("changes");
  for (const auto& c : changes)
    w.StartObject()
        .Field("filter", c.filter)
        .Field("document", uint64_t{c.document})
        .Field("object", c.object)
        .Field("description", c.description)
        .EndObject();
  w.EndArray();
  w.StartArray("findings");
  for (const auto& f : findings)
    w.StartObject()
        .Field("severity", findings::SeverityName(f.severity))
        .Field("code", f.rule)
        .Field("message", f.message)
        .Field("document", uint64_t{f.document})
        .Field("object", f.object)
        .Field("source", f.file)
        .EndObject();
  w.EndArray().EndObject();
  return w.str() + "\n";
}

std::string Report::Summary() const {
  std::vector<WorkloadEntry> workloads = Workloads();
  std::vector<Finding> findings = Findings();
  std::optional<plan::Plan> the_plan;
  {
    std::lock_guard<std::mutex> l(mu_);
    the_plan = plan_;
  }
  size_t annotated = 0, rolling = 0;
  for (const auto& w : workloads) {
    if (!w.digest.empty()) ++annotated;
    if (!w.previous_digest.empty() && w.previous_digest != w.digest) ++rolling;
  }
  std::string out = "capstan-postrender: " + std::to_string(documents_) + " documents, " +
                    std::to_string(workloads.size()) + " workloads, " + std::to_string(annotated) +
                    " with a config digest";
  if (the_plan) {
    // The plan: one line per rolling workload, with every reason (config, image, template).
    out += "; plan: " + std::to_string(the_plan->Count(plan::Status::kRolls)) + " of " +
           std::to_string(the_plan->Workloads()) + " roll";
    if (the_plan->first_deploy)
      out += " (first deploy: " + std::to_string(the_plan->Count(plan::Status::kAdded)) + " added)";
    else if (the_plan->Count(plan::Status::kAdded) || the_plan->Count(plan::Status::kRemoved))
      out += ", " + std::to_string(the_plan->Count(plan::Status::kAdded)) + " added, " +
             std::to_string(the_plan->Count(plan::Status::kRemoved)) + " removed";
    out += "\n";
    for (const auto& e : the_plan->entries)
      if (e.status == plan::Status::kRolls) out += "  " + e.Ref() + " " + plan::Effect(e) + ": " + plan::Why(e) + "\n";
  } else {
    if (rolling) out += ", " + std::to_string(rolling) + " will roll (configuration changed)";
    out += "\n";
    for (const auto& w : workloads)
      if (!w.changed.empty()) {
        out += "  " + w.kind + "/" + w.name + " rolls: changed ";
        for (size_t i = 0; i < w.changed.size(); ++i) out += (i ? ", " : "") + w.changed[i];
        out += "\n";
      }
  }
  for (const auto& f : findings)
    out += "  " + std::string(findings::SeverityName(f.severity)) + ": " + f.object +
           (f.file.empty() ? "" : " (" + f.file + ")") + ": " + f.message + " [" + f.rule + "]\n";
  return out;
}

}  // namespace capstan::postrender

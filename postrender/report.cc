#include "postrender/report.h"

#include <algorithm>

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "capstan_version.h"
#include "util/error.h"

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
  {
    std::lock_guard<std::mutex> l(mu_);
    changes = changes_;
  }
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Change& a, const Change& b) { return a.document < b.document; });
  rapidjson::StringBuffer sb;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
  w.SetIndent(' ', 2);
  auto str = [&](const std::string& s) { w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size())); };
  w.StartObject();
  w.Key("tool");
  str("capstan-postrender");
  w.Key("version");
  str(CAPSTAN_VERSION);
  w.Key("release");
  str(release_);
  w.Key("namespace");
  str(namespace_);
  w.Key("inputFormat");
  str(input_format_);
  w.Key("documents");
  w.Uint64(documents_);
  w.Key("workloads");
  w.StartArray();
  for (const auto& wl : workloads) {
    w.StartObject();
    w.Key("document");
    w.Uint64(wl.document);
    w.Key("kind");
    str(wl.kind);
    w.Key("name");
    str(wl.name);
    w.Key("namespace");
    str(wl.namespace_);
    w.Key("source");
    str(wl.source);
    w.Key("hook");
    w.Bool(wl.hook);
    w.Key("digest");
    str(wl.digest);
    if (!wl.skipped.empty()) {
      w.Key("skipped");
      str(wl.skipped);
    }
    if (!wl.previous_digest.empty()) {
      w.Key("previousDigest");
      str(wl.previous_digest);
      w.Key("rolls");
      w.Bool(wl.previous_digest != wl.digest);
    }
    w.Key("changed");
    w.StartArray();
    for (const auto& c : wl.changed) str(c);
    w.EndArray();
    w.Key("consumes");
    w.StartArray();
    for (const auto& c : wl.consumes) {
      w.StartObject();
      w.Key("kind");
      str(c.kind);
      w.Key("name");
      str(c.name);
      w.Key("keys");
      if (c.all_keys) {
        str("*");
      } else {
        w.StartArray();
        for (const auto& k : c.keys) str(k);
        w.EndArray();
      }
      w.Key("present");
      w.Bool(c.present);
      w.Key("optional");
      w.Bool(c.optional);
      w.Key("via");
      w.StartArray();
      for (const auto& v : c.via) str(v);
      w.EndArray();
      w.Key("digest");
      str(c.digest);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("changes");
  w.StartArray();
  for (const auto& c : changes) {
    w.StartObject();
    w.Key("filter");
    str(c.filter);
    w.Key("document");
    w.Uint64(c.document);
    w.Key("object");
    str(c.object);
    w.Key("description");
    str(c.description);
    w.EndObject();
  }
  w.EndArray();
  w.Key("findings");
  w.StartArray();
  for (const auto& f : findings) {
    w.StartObject();
    w.Key("severity");
    str(std::string(findings::SeverityName(f.severity)));
    w.Key("code");
    str(f.rule);
    w.Key("message");
    str(f.message);
    w.Key("document");
    w.Uint64(f.document);
    w.Key("object");
    str(f.object);
    w.Key("source");
    str(f.file);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize()) + "\n";
}

std::string Report::Summary() const {
  std::vector<WorkloadEntry> workloads = Workloads();
  std::vector<Finding> findings = Findings();
  size_t annotated = 0, rolling = 0;
  for (const auto& w : workloads) {
    if (!w.digest.empty()) ++annotated;
    if (!w.previous_digest.empty() && w.previous_digest != w.digest) ++rolling;
  }
  std::string out = "capstan-postrender: " + std::to_string(documents_) + " documents, " +
                    std::to_string(workloads.size()) + " workloads, " + std::to_string(annotated) +
                    " with a config digest";
  if (rolling) out += ", " + std::to_string(rolling) + " will roll (configuration changed)";
  out += "\n";
  for (const auto& w : workloads)
    if (!w.changed.empty()) {
      out += "  " + w.kind + "/" + w.name + " rolls: changed ";
      for (size_t i = 0; i < w.changed.size(); ++i) out += (i ? ", " : "") + w.changed[i];
      out += "\n";
    }
  for (const auto& f : findings)
    out += "  " + std::string(findings::SeverityName(f.severity)) + ": " + f.object +
           (f.file.empty() ? "" : " (" + f.file + ")") + ": " + f.message + " [" + f.rule + "]\n";
  return out;
}

}  // namespace capstan::postrender

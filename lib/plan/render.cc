#include "plan/render.h"

#include "util/json_writer.h"
#include "util/strings.h"

namespace capstan::plan {

namespace {

std::string Described(const Entry& e) {
  return e.Ref() + (e.namespace_.empty() ? "" : " (namespace " + e.namespace_ + ")");
}

// Markdown table cells: a '|' would end the cell, a newline the row; backticks would open code.
std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string Code(const std::string& s) {
  std::string t = s;
  for (char& c : t)
    if (c == '`' || c == '\n' || c == '\r') c = '\'';
  return "`" + t + "`";
}

// Why, for Markdown: names in code spans.
std::string WhyMarkdown(const Entry& e) {
  std::vector<std::string> parts;
  for (const auto& r : e.reasons) {
    switch (r.type) {
      case Reason::Type::kConfig: {
        std::vector<std::string> k;
        for (const auto& x : r.keys) k.push_back(Code(x));
        for (const auto& x : r.keys_added) k.push_back(Code(x) + " (added)");
        for (const auto& x : r.keys_removed) k.push_back(Code(x) + " (removed)");
        parts.push_back("config " + Code(r.object) +
                        (r.change == "changed" ? " key" + std::string(k.size() == 1 ? " " : "s ") + JoinLimited(k, ", ")
                                               : " " + r.change));
        break;
      }
      case Reason::Type::kImage:
        parts.push_back("image " + Code(r.container) + ": " + Code(r.old_image) + " → " + Code(r.new_image));
        break;
      case Reason::Type::kTemplate: {
        // The table shows three paths; the details list them all.
        std::vector<std::string> p;
        for (size_t i = 0; i < r.paths.size() && i < 3; ++i) p.push_back(Code(r.paths[i]));
        size_t rest = r.paths.size() - p.size() + r.more;
        parts.push_back("template " + Join(p, ", ") + (rest ? " and " + std::to_string(rest) + " more" : ""));
        break;
      }
    }
  }
  return Join(parts, "; ");
}

}  // namespace

void WritePlan(JsonWriter& w, const Plan& plan) {
  w.StartObject()
      .Field("firstDeploy", plan.first_deploy)
      .StartObject("summary")
      .Field("workloads", uint64_t{plan.Workloads()})
      .Field("rolls", uint64_t{plan.Count(Status::kRolls)})
      .Field("added", uint64_t{plan.Count(Status::kAdded)})
      .Field("removed", uint64_t{plan.Count(Status::kRemoved)})
      .Field("unchanged", uint64_t{plan.Count(Status::kUnchanged)})
      .EndObject()
      .StartArray("workloads");
  for (const auto& e : plan.entries) {
    w.StartObject()
        .Field("kind", e.kind)
        .Field("namespace", e.namespace_)
        .Field("name", e.name)
        .Field("status", StatusName(e.status))
        .Field("rollout", RolloutName(e.rollout));
    if (e.status == Status::kRolls) w.Field("effect", Effect(e));
    w.StartArray("reasons");
    for (const auto& r : e.reasons) {
      w.StartObject().Field("type", ReasonTypeName(r.type));
      switch (r.type) {
        case Reason::Type::kConfig:
          w.Field("object", r.object).Field("change", r.change);
          for (const auto& [name, list] : {std::pair{"keys", &r.keys}, std::pair{"keysAdded", &r.keys_added},
                                           std::pair{"keysRemoved", &r.keys_removed}}) {
            w.StartArray(name);
            for (const auto& k : *list) w.String(k);
            w.EndArray();
          }
          break;
        case Reason::Type::kImage:
          w.Field("container", r.container).Field("old", r.old_image).Field("new", r.new_image);
          break;
        case Reason::Type::kTemplate:
          w.StartArray("paths");
          for (const auto& p : r.paths) w.String(p);
          w.EndArray().Field("more", uint64_t{r.more});
          break;
      }
      w.EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
}

std::string RenderJson(const Plan& plan) {
  JsonWriter w(2);
  WritePlan(w, plan);
  return w.str() + "\n";
}

std::string RenderText(const Plan& plan) {
  std::string out;
  size_t rolls = plan.Count(Status::kRolls);
  out += "This upgrade rolls " + std::to_string(rolls) + " of " + std::to_string(plan.Workloads()) + " workload" +
         (plan.Workloads() == 1 ? "" : "s") + (plan.first_deploy ? " (first deploy: no previous release)" : "") +
         "\n";
  if (rolls) {
    out += "\nrolls (" + std::to_string(rolls) + "):\n";
    for (const auto& e : plan.entries)
      if (e.status == Status::kRolls) {
        out += "  " + Described(e) + " " + Effect(e) + "\n";
        for (const auto& r : e.reasons) {
          Entry one = e;
          one.reasons = {r};
          out += "    - " + Why(one) + "\n";
        }
      }
  }
  for (Status s : {Status::kAdded, Status::kRemoved}) {
    size_t n = plan.Count(s);
    if (!n) continue;
    out += "\n" + std::string(StatusName(s)) + " (" + std::to_string(n) + "):\n";
    for (const auto& e : plan.entries)
      if (e.status == s) out += "  " + Described(e) + "\n";
  }
  out += "\nunchanged: " + std::to_string(plan.Count(Status::kUnchanged)) + "\n";
  return out;
}

std::string RenderMarkdown(const Plan& plan) {
  size_t rolls = plan.Count(Status::kRolls);
  std::string out = "### This upgrade rolls " + std::to_string(rolls) + " of " + std::to_string(plan.Workloads()) +
                    " workload" + (plan.Workloads() == 1 ? "" : "s") + "\n\n";
  if (plan.first_deploy) out += "First deploy: there is no previous release, every workload is added.\n\n";
  bool table = rolls || plan.Count(Status::kAdded) || plan.Count(Status::kRemoved);
  if (table) {
    out += "| Workload | Why |\n|---|---|\n";
    for (const auto& e : plan.entries) {
      if (e.status == Status::kUnchanged) continue;
      std::string why = e.status == Status::kRolls
                            ? (e.rollout == Rollout::kRollingUpdate ? "" : "**" + Effect(e) + "**: ") + WhyMarkdown(e)
                            : std::string(StatusName(e.status));
      out += "| " + Cell(Code(e.Ref())) + " | " + Cell(why) + " |\n";
    }
    out += "\n";
  } else {
    out += "Nothing rolls, nothing is added or removed.\n\n";
  }
  out += "<details><summary>Details (" + std::to_string(plan.Count(Status::kUnchanged)) +
         " unchanged)</summary>\n\n";
  for (const auto& e : plan.entries) {
    out += "- " + Code(e.Ref()) + (e.namespace_.empty() ? "" : " in " + Code(e.namespace_)) + ": " +
           (e.status == Status::kRolls ? Cell(Effect(e)) : std::string(StatusName(e.status))) + "\n";
    for (const auto& r : e.reasons) {
      Entry one = e;
      one.reasons = {r};
      if (r.type == Reason::Type::kTemplate) {
        for (const auto& p : r.paths) out += "  - template " + Code(p) + "\n";
        if (r.more) out += "  - and " + std::to_string(r.more) + " more template fields\n";
      } else {
        out += "  - " + WhyMarkdown(one) + "\n";
      }
    }
  }
  out += "\n</details>\n";
  return out;
}

}  // namespace capstan::plan

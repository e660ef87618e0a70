// The three views of a plan: JSON (stable field names, docs/plan.md), text for terminals (grouped: rolls, added,
// removed, unchanged: N) and Markdown for a pull-request comment (a heading "This upgrade rolls N of M workloads",
// a table workload | why, the details collapsed). A plan holds names, keys, paths and images, never a value.
#pragma once
#include <string>

#include "plan/plan.h"

namespace capstan {
class JsonWriter;
}

namespace capstan::plan {

// The plan as one JSON object value, written into w (capstan-postrender's report embeds it as "plan").
void WritePlan(JsonWriter& w, const Plan& plan);
std::string RenderJson(const Plan& plan);  // pretty, with a final newline
std::string RenderText(const Plan& plan);
std::string RenderMarkdown(const Plan& plan);

}  // namespace capstan::plan

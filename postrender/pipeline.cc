#include "postrender/pipeline.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "util/duration.h"
#include "util/error.h"
#include "util/strings.h"
#include "yaml/edits.h"
#include "yaml/tree.h"

namespace capstan::postrender {

std::string DocInfo::Where() const {
  std::string s = "document " + std::to_string(doc->index);
  std::string what;
  if (object.is_object) what = object.Ref();
  if (!source.empty()) what += (what.empty() ? "" : ", ") + std::string("# Source: ") + source;
  if (!what.empty()) s += " (" + what + ")";
  return s;
}

namespace {

// Runs fn(i) for i in [0, n) on `threads` threads; rethrows the exception of the lowest index that failed.
void ParallelFor(size_t n, unsigned threads, const std::function<void(size_t)>& fn) {
  std::vector<std::exception_ptr> errors(n);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto worker = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      size_t i = next.fetch_add(1);
      if (i >= n) break;
      try {
        fn(i);
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  unsigned t = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(n)));
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < t; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

// Best-effort "Kind/name" of a document that did not parse, for the error message.
std::string GuessRef(std::string_view text) {
  std::string kind, name;
  bool in_meta = false;
  size_t pos = 0;
  while (pos < text.size() && (kind.empty() || name.empty())) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    if (line.rfind("kind:", 0) == 0) kind = std::string(Trim(line.substr(5)));
    if (line.rfind("metadata:", 0) == 0) in_meta = true;
    else if (!line.empty() && line[0] != ' ' && line[0] != '#') in_meta = false;
    if (in_meta && line.rfind("  name:", 0) == 0) name = std::string(Trim(line.substr(7)));
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  if (kind.empty()) return "";
  return kind + "/" + (name.empty() ? "?" : name);
}

}  // namespace

Pipeline::Pipeline(PipelineOptions options, std::vector<std::unique_ptr<Filter>> filters)
    : options_(std::move(options)), filters_(std::move(filters)) {}

size_t Pipeline::Run(std::string_view input, const std::function<void(std::string_view)>& sink, Report& report) {
  unsigned threads = options_.threads;
  if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);

  std::vector<manifest::Document> docs = manifest::Split(input);
  std::vector<DocInfo> infos(docs.size());
  bool helm4 = false;

  auto context = [&](const manifest::Document& d, const std::string& ref) {
    std::string s = "input line " + std::to_string(d.first_line + 1) + ", document " + std::to_string(d.index);
    std::string what = ref;
    if (!d.source.empty()) what += (what.empty() ? "" : ", ") + std::string("# Source: ") + std::string(d.source);
    if (!what.empty()) s += " (" + what + ")";
    return s;
  };

  auto parse = [&](const manifest::Document& d) {
    try {
      return yaml::Tree::Parse(d.text);
    } catch (const yaml::ParseError& e) {
      const manifest::Document& dd = d;
      std::string where = "input line " + std::to_string(dd.first_line + e.line() + 1) + ", document " +
                          std::to_string(dd.index);
      std::string ref = GuessRef(dd.text);
      std::string what = ref;
      if (!dd.source.empty()) what += (what.empty() ? "" : ", ") + std::string("# Source: ") + std::string(dd.source);
      if (!what.empty()) where += " (" + what + ")";
      throw Error(where + ": invalid YAML: " + e.reason() +
                  ". Fix the chart template that renders it (helm template --debug shows the rendered text)");
    }
  };

  // Pass 1: parse every document (validation), describe it, let filters observe it.
  ParallelFor(docs.size(), threads, [&](size_t i) {
    const manifest::Document& d = docs[i];
    DocInfo& info = infos[i];
    info.doc = &d;
    info.source = std::string(d.source);
    info.namespace_ = options_.namespace_;
    if (d.blank) {
      try {
        yaml::CheckText(d.text);
      } catch (const yaml::ParseError& e) {
        throw Error(context(d, "") + " line " + std::to_string(e.line() + 1) + ": " + e.reason());
      }
      return;
    }
    if (d.text.size() > options_.max_document_size)
      throw Error(context(d, GuessRef(d.text.substr(0, 4096))) + ": the document is " + FormatSize(d.text.size()) +
                  ", larger than --max-document-size " + FormatSize(options_.max_document_size) +
                  ": Kubernetes stores at most about 1.5 MiB per object; raise the limit only if this is intended");
    yaml::Tree tree = parse(d);
    yaml::Node root = tree.root();
    if (!root) return;
    if (!root.IsMapping())
      throw Error(context(d, "") + ": the document is a " + (root.IsSequence() ? "list" : "scalar") +
                  ", not a mapping: a Kubernetes manifest document must be a mapping (apiVersion, kind, metadata, ...)");
    info.object = manifest::Describe(root);
    if (!info.object.namespace_.empty()) info.namespace_ = info.object.namespace_;
    if (info.source.empty()) info.source = info.object.helm_filename;
    for (auto& f : filters_)
      if (f->Observes(info)) f->Observe(info, root);
  });
  for (const auto& info : infos)
    if (!info.object.helm_filename.empty()) helm4 = true;
  report.SetRun(options_.release, options_.namespace_, helm4 ? "helm4" : "helm3", docs.size());

  for (auto& f : filters_) f->Prepare(report);

  // Pass 2: apply the filters to the documents they want; collect edits.
  std::vector<std::optional<yaml::Edits>> edits(docs.size());
  ParallelFor(docs.size(), threads, [&](size_t i) {
    const DocInfo& info = infos[i];
    if (docs[i].blank || !info.object.is_object) return;
    std::vector<Filter*> wanting;
    for (auto& f : filters_)
      if (f->Wants(info)) wanting.push_back(f.get());
    if (wanting.empty()) return;
    yaml::Tree tree = parse(docs[i]);
    yaml::Edits e;
    yaml::Editor editor(tree, e);
    try {
      for (Filter* f : wanting) f->Apply(info, tree.root(), editor, report);
      editor.Commit();
    } catch (const Error& err) {
      throw Error(context(docs[i], info.object.Ref()) + ": " + err.what());
    }
    if (!e.empty()) edits[i] = std::move(e);
  });

  // A filter's error finding (strict mode) fails the run before anything is written.
  std::vector<Finding> errors;
  for (auto& f : report.Findings())
    if (f.severity == findings::Severity::kError && options_.fail_on_error_findings) errors.push_back(f);
  if (!errors.empty()) {
    std::string msg = std::to_string(errors.size()) + " error finding(s), nothing was written:";
    for (size_t i = 0; i < errors.size() && i < 10; ++i)
      msg += "\n  document " + std::to_string(errors[i].document) + " (" + errors[i].object +
             (errors[i].file.empty() ? "" : ", # Source: " + errors[i].file) + "): " + errors[i].message;
    throw Error(msg);
  }

  std::vector<std::string> extra;
  for (auto& f : filters_)
    for (auto& d : f->NewDocuments(report)) extra.push_back(std::move(d));

  // Write: untouched documents as their original bytes, edited ones with their edits applied.
  bool any_content = false;
  auto out = [&](std::string_view piece) {
    if (!any_content)
      for (char c : piece)
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          any_content = true;
          break;
        }
    sink(piece);
  };
  size_t edited = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (edits[i]) {
      edits[i]->Apply(docs[i].text, out);
      ++edited;
    } else {
      out(docs[i].text);
    }
  }
  if (!extra.empty()) {
    if (!input.empty() && input.back() != '\n') out("\n");
    for (const auto& d : extra) {
      out("---\n");
      out(d);
      if (d.empty() || d.back() != '\n') out("\n");
    }
  }
  // Helm 4 refuses empty post-renderer output: say why there is nothing instead.
  if (!any_content) out("# capstan-postrender: the release renders no resources\n");
  return edited;
}

}  // namespace capstan::postrender

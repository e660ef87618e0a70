#include "postrender/pipeline.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <optional>
#include <thread>

#include "manifest/header.h"
#include "postrender/where.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/strings.h"
#include "yaml/edits.h"
#include "yaml/tree.h"

namespace capstan::postrender {

struct Pipeline::Stream {
  unsigned threads = 1;  // for this input: threads only pay off on large ones
  std::vector<manifest::Document> docs;
  std::vector<DocInfo> infos;
  std::vector<std::optional<yaml::Edits>> edits;
  std::vector<std::string> extra;  // the filters' new documents
};

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

Error InvalidYaml(const manifest::Document& d, const yaml::ParseError& e) {
  return Error(Where(d.index, GuessRef(d.text), d.source, d.first_line + e.line() + 1) + ": invalid YAML: " +
               e.reason() + ". Fix the chart template that renders it (helm template --debug shows the rendered text)");
}

yaml::Tree Parse(const manifest::Document& d) {
  try {
    yaml::ParseOptions options;
    options.first_line = d.first_line;
    return yaml::Tree::Parse(d.text, options);
  } catch (const yaml::ParseError& e) {
    throw InvalidYaml(d, e);
  }
}

// The validation of a document nobody parses: UTF-8 without control characters, as the parser checks it.
void Validate(const manifest::Document& d) {
  try {
    yaml::CheckText(d.text);
  } catch (const yaml::ParseError& e) {
    throw InvalidYaml(d, e);
  }
}

}  // namespace

Pipeline::Pipeline(PipelineOptions options, std::vector<std::unique_ptr<Filter>> filters)
    : options_(std::move(options)),
      threads_(options_.threads ? options_.threads : std::clamp(std::thread::hardware_concurrency(), 1u, 4u)),
      filters_(std::move(filters)) {}

size_t Pipeline::Run(std::string_view input, const Writer::Sink& sink, Report& report) {
  Stream s;
  Read(input, s);
  Observe(s);
  Prepare(s, report);
  Apply(s, report);
  Writer out(sink);
  size_t edited = Write(s, out);
  out.Finish();
  return edited;
}

void Pipeline::Read(std::string_view input, Stream& s) const {
  // Starting a thread costs more than a typical chart's whole run (~1 ms of work): one thread per MiB of input, up
  // to the configured number, so small releases run on the calling thread alone.
  constexpr size_t kBytesPerThread = 1u << 20;
  s.threads = static_cast<unsigned>(std::min<size_t>(threads_, 1 + input.size() / kBytesPerThread));
  s.docs = manifest::Split(input);
  s.infos.resize(s.docs.size());
  s.edits.resize(s.docs.size());
}

// Every document is described (by the header scan, or by parsing it when the scan is unsure) and validated; the
// documents some filter observes are parsed and shown to it.
void Pipeline::Observe(Stream& s) {
  ParallelFor(s.docs.size(), s.threads, [&](size_t i) { ObserveDocument(s.docs[i], s.infos[i]); });
}

void Pipeline::ObserveDocument(const manifest::Document& d, DocInfo& info) {
  info.doc = &d;
  info.source = std::string(d.source);
  info.namespace_ = options_.namespace_;  // "" while the release namespace is unknown
  if (d.blank) return Validate(d);
  if (d.text.size() > options_.max_document_size)
    throw Error(Where(d.index, GuessRef(d.text.substr(0, 4096)), d.source, d.first_line + 1) + ": the document is " +
                FormatSize(d.text.size()) + ", larger than --max-document-size " +
                FormatSize(options_.max_document_size) +
                ": Kubernetes stores at most about 1.5 MiB per object; raise the limit only if this is intended");
  std::optional<yaml::Tree> tree;
  if (auto header = manifest::ScanHeader(d.text)) {
    info.object = std::move(*header);
  } else {
    tree = Parse(d);
    yaml::Node root = tree->root();
    if (!root) return;
    if (!root.IsMapping())
      throw Error(Where(d.index, "", d.source, d.first_line + 1) + ": the document is a " +
                  (root.IsSequence() ? "list" : "scalar") +
                  ", not a mapping: a Kubernetes manifest document must be a mapping (apiVersion, kind, metadata, ...)");
    info.object = manifest::Describe(root);
  }
  if (!info.object.namespace_.empty()) info.namespace_ = info.object.namespace_;
  if (info.source.empty()) info.source = info.object.helm_filename;
  std::vector<Filter*> observing;
  for (auto& f : filters_)
    if (f->Observes(info)) observing.push_back(f.get());
  if (observing.empty()) {
    if (!tree) Validate(d);
    return;
  }
  if (!tree) tree = Parse(d);
  for (Filter* f : observing) f->Observe(info, tree->root());
}

void Pipeline::Prepare(const Stream& s, Report& report) {
  bool helm4 = std::any_of(s.infos.begin(), s.infos.end(),
                           [](const DocInfo& info) { return !info.object.helm_filename.empty(); });
  report.SetRun(options_.release, options_.namespace_, helm4 ? "helm4" : "helm3", s.docs.size());
  for (auto& f : filters_) f->Prepare(report);
}

// The documents some filter wants are parsed and edited; the edits of all filters on one document are merged.
void Pipeline::Apply(Stream& s, Report& report) {
  ParallelFor(s.docs.size(), s.threads, [&](size_t i) {
    const manifest::Document& d = s.docs[i];
    const DocInfo& info = s.infos[i];
    if (d.blank || !info.object.is_object) return;
    std::vector<Filter*> wanting;
    for (auto& f : filters_)
      if (f->Wants(info)) wanting.push_back(f.get());
    if (wanting.empty()) return;
    yaml::Tree tree = Parse(d);
    yaml::Edits e;
    yaml::Editor editor(tree, e, d.first_line);
    try {
      for (Filter* f : wanting) f->Apply(info, tree.root(), editor, report);
      editor.Commit();
    } catch (const Error& err) {
      throw Error(Where(d.index, info.object.Ref(), d.source, d.first_line + 1) + ": " + err.what());
    }
    if (!e.empty()) s.edits[i] = std::move(e);
  });
  CheckFindings(report);
  for (auto& f : filters_)
    for (auto& doc : f->NewDocuments(report)) s.extra.push_back(std::move(doc));
}

// A filter's error finding (strict mode) fails the run before anything is written.
void Pipeline::CheckFindings(const Report& report) const {
  if (!options_.fail_on_error_findings) return;
  std::vector<Finding> errors;
  for (auto& f : report.Findings())
    if (f.severity == findings::Severity::kError) errors.push_back(f);
  if (errors.empty()) return;
  std::string msg = std::to_string(errors.size()) + " error finding(s), nothing was written:";
  for (size_t i = 0; i < errors.size() && i < 10; ++i)
    msg += "\n  " + Where(errors[i].document, errors[i].object, errors[i].file) + ": " + errors[i].message;
  throw Error(msg);
}

// Untouched documents go out as spans of the input (consecutive ones as one span), edited ones with their edits.
size_t Pipeline::Write(const Stream& s, Writer& out) const {
  size_t edited = 0;
  std::string_view span;  // untouched input not written yet
  auto flush = [&] {
    out.Write(span);
    span = {};
  };
  for (size_t i = 0; i < s.docs.size(); ++i) {
    const manifest::Document& d = s.docs[i];
    if (!s.edits[i]) {
      span = span.empty() ? d.text : std::string_view(span.data(), span.size() + d.text.size());
      continue;
    }
    flush();
    s.edits[i]->Apply(d.text, [&](std::string_view piece) { out.Write(piece); });
    ++edited;
  }
  flush();
  if (!s.extra.empty()) {
    if (!s.docs.empty() && !s.docs.back().text.empty() && s.docs.back().text.back() != '\n') out.Write("\n");
    for (const auto& d : s.extra) {
      out.Write("---\n");
      out.Write(d);
      if (d.empty() || d.back() != '\n') out.Write("\n");
    }
  }
  return edited;
}

}  // namespace capstan::postrender

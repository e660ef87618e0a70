// A C++-friendly layer over the go-yaml v2 parser for the code that consumes events (the composer, tests):
// EventParser owns a yaml_parser_t reading one string; EventName and TestSuiteEvents render events in the
// yaml-test-suite "tree" notation (+STR, +DOC ---, +MAP {} &a <tag>, =VAL :plain, =ALI *a, -DOC ..., -STR).
#pragma once
#include <string>
#include <string_view>

#include "goyaml/yamlh.h"

namespace capstan::goyaml {

// Reads events from one input string with go-yaml's yaml_parser_parse. The input is used as given: decode.go's
// newParser substitutes "\n" for an empty input before parsing, which is the caller's business.
class EventParser {
 public:
  explicit EventParser(std::string_view input);
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;
  ~EventParser();

  // The next event into *e (yaml_NO_EVENT after the stream end, like yaml_parser_parse). false: an error, whose
  // type, problem, context and marks are in raw().
  bool Next(yaml_event_t* e);

  // Whether the last DOCUMENT-START event Next produced had an explicit '---'. go-yaml v2 leaves `implicit` false
  // on every DOCUMENT-START event (libyaml sets it for implicit documents), so this is recorded from the tokens
  // the event consumed: an implicit document start consumes none.
  bool last_document_start_explicit() const { return last_document_start_explicit_; }

  const yaml_parser_t& raw() const { return parser_; }

 private:
  yaml_parser_t parser_;
  bool last_document_start_explicit_ = false;
};

// One event as a yaml-test-suite tree line without its indentation: "+MAP {} &a <tag:yaml.org,2002:map>",
// "=VAL &a :plain", "=VAL 'single", "=VAL \"double", "=VAL |literal", "=VAL >folded", "=ALI *a". Values escape
// '\\', '\b', '\n', '\r' and '\t' as \\ \b \n \r \t. A DOCUMENT-START event renders "+DOC ---" when
// explicit_document_start is true (see EventParser::last_document_start_explicit), "+DOC" otherwise; an explicit
// DOCUMENT-END renders "-DOC ...".
std::string EventName(const yaml_event_t& e, bool explicit_document_start = false);

// The whole event stream of `yaml` in the yaml-test-suite "tree" notation (one line per event, each indented one
// space per open stream/document/collection, every line ending in '\n'), or on failure the single line
// "error: line L column C: problem" (L and C from problem_mark, counted from 1; a reader error, which has no mark,
// renders "error: offset O: problem"). Where Go would panic, the port's capstan::Error propagates.
std::string TestSuiteEvents(std::string_view yaml);

}  // namespace capstan::goyaml

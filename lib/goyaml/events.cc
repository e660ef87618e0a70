// EventParser, EventName and TestSuiteEvents (see events.h).
#include "goyaml/events.h"

#include <string>

namespace capstan::goyaml {

EventParser::EventParser(std::string_view input) {
  yaml_parser_initialize(&parser_);
  yaml_parser_set_input_string(&parser_, std::string(input));
}

EventParser::~EventParser() { yaml_parser_delete(&parser_); }

bool EventParser::Next(yaml_event_t* e) {
  const int parsed_before = parser_.tokens_parsed;
  const bool ok = yaml_parser_parse(&parser_, e);
  if (ok && e->typ == yaml_DOCUMENT_START_EVENT) {
    last_document_start_explicit_ = parser_.tokens_parsed != parsed_before;
  }
  return ok;
}

namespace {

std::string Escaped(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out;
}

// " &anchor <tag>" for the node events, each part only when present.
std::string Properties(const yaml_event_t& e) {
  std::string out;
  if (!e.anchor.empty()) {
    out += " &" + e.anchor;
  }
  if (!e.tag.empty()) {
    out += " <" + e.tag + ">";
  }
  return out;
}

char ScalarIndicator(yaml_scalar_style_t style) {
  switch (style) {
    case yaml_SINGLE_QUOTED_SCALAR_STYLE: return '\'';
    case yaml_DOUBLE_QUOTED_SCALAR_STYLE: return '"';
    case yaml_LITERAL_SCALAR_STYLE: return '|';
    case yaml_FOLDED_SCALAR_STYLE: return '>';
    default: return ':';
  }
}

}  // namespace

std::string EventName(const yaml_event_t& e, bool explicit_document_start) {
  switch (e.typ) {
    case yaml_STREAM_START_EVENT: return "+STR";
    case yaml_STREAM_END_EVENT: return "-STR";
    case yaml_DOCUMENT_START_EVENT: return explicit_document_start ? "+DOC ---" : "+DOC";
    case yaml_DOCUMENT_END_EVENT: return e.implicit ? "-DOC" : "-DOC ...";
    case yaml_MAPPING_START_EVENT:
      return std::string("+MAP") + (e.mapping_style() == yaml_FLOW_MAPPING_STYLE ? " {}" : "") + Properties(e);
    case yaml_MAPPING_END_EVENT: return "-MAP";
    case yaml_SEQUENCE_START_EVENT:
      return std::string("+SEQ") + (e.sequence_style() == yaml_FLOW_SEQUENCE_STYLE ? " []" : "") + Properties(e);
    case yaml_SEQUENCE_END_EVENT: return "-SEQ";
    case yaml_SCALAR_EVENT:
      return "=VAL" + Properties(e) + " " + ScalarIndicator(e.scalar_style()) + Escaped(e.value);
    case yaml_ALIAS_EVENT: return "=ALI *" + e.anchor;
    case yaml_NO_EVENT: break;
  }
  return "(" + to_string(e.typ) + ")";
}

std::string TestSuiteEvents(std::string_view yaml) {
  EventParser parser(yaml);
  std::string out;
  int depth = 0;
  yaml_event_t e;
  while (true) {
    if (!parser.Next(&e)) {
      const yaml_parser_t& raw = parser.raw();
      if (raw.error == yaml_READER_ERROR) {
        return "error: offset " + std::to_string(raw.problem_offset) + ": " + raw.problem;
      }
      return "error: line " + std::to_string(raw.problem_mark.line + 1) + " column " +
             std::to_string(raw.problem_mark.column + 1) + ": " + raw.problem;
    }
    if (e.typ == yaml_NO_EVENT) {  // past the stream end (not reached: the loop stops at STREAM-END)
      break;
    }
    const bool closes = e.typ == yaml_STREAM_END_EVENT || e.typ == yaml_DOCUMENT_END_EVENT ||
                        e.typ == yaml_MAPPING_END_EVENT || e.typ == yaml_SEQUENCE_END_EVENT;
    const bool opens = e.typ == yaml_STREAM_START_EVENT || e.typ == yaml_DOCUMENT_START_EVENT ||
                       e.typ == yaml_MAPPING_START_EVENT || e.typ == yaml_SEQUENCE_START_EVENT;
    if (closes && depth > 0) {
      depth--;
    }
    out += std::string(static_cast<size_t>(depth), ' ');
    out += EventName(e, parser.last_document_start_explicit());
    out += '\n';
    if (opens) {
      depth++;
    }
    if (e.typ == yaml_STREAM_END_EVENT) {
      break;
    }
  }
  return out;
}

}  // namespace capstan::goyaml

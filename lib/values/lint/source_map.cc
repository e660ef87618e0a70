#include "values/lint/source_map.h"

#include <libfyaml.h>

#include <memory>

namespace capstan::values::lint {

std::string PointerEscape(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string PointerJoin(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    out += '/';
    out += PointerEscape(t);
  }
  return out;
}

std::vector<std::string> PointerSplit(std::string_view pointer) {
  std::vector<std::string> out;
  if (pointer.empty()) return out;
  size_t i = pointer[0] == '/' ? 1 : 0;
  std::string cur;
  for (; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      out.push_back(cur);
      cur.clear();
    } else if (pointer[i] == '~' && i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
      cur += pointer[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      cur += pointer[i];
    }
  }
  return out;
}

namespace {

struct Frame {
  bool is_map = false;
  long node = -1;         // index of the container's node; -1 when not indexed
  bool pushed = false;    // a path token was pushed for this container
  size_t next_index = 0;  // lists: next item index
  bool expect_key = true; // maps: the next event is a key
  // Pending key (maps, after a key was read).
  std::string key;
  SourceNode key_info;
  bool skip_value = false;  // complex (non-scalar) key: its value is not indexed
  int skip_depth = 0;       // >0 while inside a complex key
};

struct ParserDeleter {
  void operator()(fy_parser* p) const { fy_parser_destroy(p); }
};
struct DiagDeleter {
  void operator()(fy_diag* d) const { fy_diag_destroy(d); }
};

}  // namespace

SourceMap SourceMap::Build(std::string_view text, const KeyNormalizer& normalize) {
  SourceMap map;
  fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.output_fn = [](fy_diag*, void*, const char*, size_t) {};
  dcfg.fp = nullptr;
  std::unique_ptr<fy_diag, DiagDeleter> diag(fy_diag_create(&dcfg));
  if (diag) fy_diag_set_collect_errors(diag.get(), true);
  fy_parse_cfg cfg{};
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_1);
  cfg.diag = diag.get();
  std::unique_ptr<fy_parser, ParserDeleter> parser(fy_parser_create(&cfg));
  if (!parser || fy_parser_set_string(parser.get(), text.data(), text.size()) != 0) {
    map.error_ = {"cannot start the YAML parser", 0, 0};
    return map;
  }
  auto tok_text = [](fy_token* t) {
    size_t len = 0;
    const char* s = t ? fy_token_get_text(t, &len) : nullptr;
    return s ? std::string(s, len) : std::string();
  };
  std::vector<Frame> stack;
  std::vector<std::string> path;
  auto add = [&](SourceNode n) {
    auto it = map.index_.find(n.pointer);
    if (it != map.index_.end()) {
      map.nodes_[it->second] = std::move(n);
      return it->second;
    }
    map.nodes_.push_back(std::move(n));
    map.index_[map.nodes_.back().pointer] = map.nodes_.size() - 1;
    return map.nodes_.size() - 1;
  };

  for (;;) {
    fy_event* ev = fy_parser_parse(parser.get());
    if (!ev) {
      if (fy_parser_get_stream_error(parser.get())) {
        map.error_ = {"invalid YAML", 0, 0};
        if (diag) {
          void* it = nullptr;
          if (fy_diag_error* err = fy_diag_errors_iterate(diag.get(), &it)) {
            map.error_.message = err->msg ? err->msg : "invalid YAML";
            map.error_.line = err->line + 1;
            map.error_.column = err->column + 1;
          }
        }
      }
      break;
    }
    std::unique_ptr<fy_event, std::function<void(fy_event*)>> guard(
        ev, [&](fy_event* e) { fy_parser_event_free(parser.get(), e); });
    const fy_mark* sm = fy_event_start_mark(ev);
    const fy_mark* em = fy_event_end_mark(ev);
    fy_event_type type = ev->type;
    if (type == FYET_DOCUMENT_START) {
      stack.clear();
      path.clear();
      ++map.documents_;
      continue;
    }
    if (type == FYET_STREAM_START || type == FYET_STREAM_END || type == FYET_DOCUMENT_END || type == FYET_NONE)
      continue;

    bool starts = type == FYET_MAPPING_START || type == FYET_SEQUENCE_START;
    bool ends = type == FYET_MAPPING_END || type == FYET_SEQUENCE_END;
    // Inside a complex key: only track nesting.
    if (!stack.empty() && stack.back().skip_depth > 0) {
      if (starts) ++stack.back().skip_depth;
      if (ends) --stack.back().skip_depth;
      if (stack.back().skip_depth == 0) {
        stack.back().expect_key = false;
        stack.back().skip_value = true;
      }
      continue;
    }
    if (ends) {
      if (stack.empty()) continue;
      if (stack.back().node >= 0 && em) map.nodes_[static_cast<size_t>(stack.back().node)].end = em->input_pos;
      if (stack.back().pushed && !path.empty()) path.pop_back();
      stack.pop_back();
      continue;
    }
    // A key?
    if (!stack.empty() && stack.back().is_map && stack.back().expect_key) {
      Frame& f = stack.back();
      if (type != FYET_SCALAR) {
        if (starts) f.skip_depth = 1;
        else {  // alias as key
          f.expect_key = false;
          f.skip_value = true;
        }
        continue;
      }
      fy_token* t = ev->scalar.value;
      std::string raw = tok_text(t);
      bool plain = fy_token_scalar_style(t) == FYSS_PLAIN && ev->scalar.tag == nullptr;
      f.key = normalize ? normalize(raw, plain) : raw;
      f.key_info = SourceNode{};
      f.key_info.has_key = true;
      f.key_info.key_text = raw;
      f.key_info.key_plain = plain;
      if (sm) {
        f.key_info.key_line = sm->line + 1;
        f.key_info.key_column = sm->column + 1;
        f.key_info.key_begin = sm->input_pos;
      }
      f.key_info.key_end = em ? em->input_pos : f.key_info.key_begin;
      f.expect_key = false;
      f.skip_value = false;
      continue;
    }
    // A value: root, map value or list item.
    SourceNode n;
    bool indexed = true;
    bool pushed = false;
    if (!stack.empty()) {
      Frame& f = stack.back();
      if (f.is_map) {
        f.expect_key = true;
        if (f.skip_value) {
          f.skip_value = false;
          indexed = false;
        } else {
          n = f.key_info;
          path.push_back(f.key);
          pushed = true;
        }
      } else {
        path.push_back(std::to_string(f.next_index++));
        pushed = true;
      }
    }
    n.pointer = PointerJoin(path);
    n.document = map.documents_ - 1;
    if (sm) {
      n.line = sm->line + 1;
      n.column = sm->column + 1;
      n.begin = sm->input_pos;
    }
    n.end = em ? em->input_pos : n.begin;
    if (type == FYET_SCALAR) {
      n.kind = SourceNode::Kind::kScalar;
      n.text = tok_text(ev->scalar.value);
      n.plain = fy_token_scalar_style(ev->scalar.value) == FYSS_PLAIN && ev->scalar.tag == nullptr;
    } else if (type == FYET_ALIAS) {
      n.kind = SourceNode::Kind::kAlias;
    } else {
      n.kind = type == FYET_MAPPING_START ? SourceNode::Kind::kMap : SourceNode::Kind::kList;
    }
    if (starts) {
      Frame f;
      f.is_map = type == FYET_MAPPING_START;
      if (indexed) f.node = static_cast<long>(add(std::move(n)));
      f.pushed = pushed;
      stack.push_back(std::move(f));
      continue;
    }
    if (indexed) add(std::move(n));
    if (pushed) path.pop_back();
  }
  return map;
}

const SourceNode* SourceMap::Find(const std::string& pointer) const {
  auto it = index_.find(pointer);
  return it == index_.end() ? nullptr : &nodes_[it->second];
}

const SourceNode* SourceMap::FindNearest(const std::string& pointer) const {
  std::string p = pointer;
  for (;;) {
    if (const SourceNode* n = Find(p)) return n;
    if (p.empty()) return nullptr;
    size_t slash = p.rfind('/');
    p = slash == std::string::npos ? std::string() : p.substr(0, slash);
  }
}

}  // namespace capstan::values::lint

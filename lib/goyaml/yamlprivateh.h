// The buffer sizes and the character-class helpers of the go-yaml v2 reader and scanner (is_alpha, is_blankz...).
// Port of go-yaml v2.4.0 as vendored in sigs.k8s.io/yaml v1.4.0 goyaml.v2/yamlprivateh.go (MIT license, derived
// from libyaml; see lib/goyaml/LICENSE.go-yaml).
//
// Every helper reads bytes through byte_at(), which checks the index the way Go's slice indexing does: where Go
// would panic with "index out of range", byte_at throws capstan::Error instead of reading past the end.
#pragma once
#include <cstdint>
#include <string>

#include "util/error.h"

namespace capstan::goyaml {

// The size of the input raw buffer.
inline constexpr int input_raw_buffer_size = 512;

// The size of the input buffer.
// It should be possible to decode the whole raw buffer.
inline constexpr int input_buffer_size = input_raw_buffer_size * 3;

// The size of other stacks and queues.
inline constexpr int initial_stack_size = 16;
inline constexpr int initial_queue_size = 16;
inline constexpr int initial_string_size = 16;

// Go's b[i] on a []byte: the byte as unsigned, or the panic Go would raise (as capstan::Error).
[[noreturn]] inline void index_out_of_range(int i, int length) {
  throw capstan::Error("go-yaml port: index out of range [" + std::to_string(i) + "] with length " +
                       std::to_string(length) + " (Go panics here)");
}
inline uint8_t byte_at(const std::string& b, int i) {
  if (i < 0 || static_cast<size_t>(i) >= b.size()) index_out_of_range(i, static_cast<int>(b.size()));
  return static_cast<uint8_t>(b[static_cast<size_t>(i)]);
}

// Check if the character at the specified position is an alphabetical
// character, a digit, '_', or '-'.
inline bool is_alpha(const std::string& b, int i) {
  uint8_t c = byte_at(b, i);
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
}

// Check if the character at the specified position is a digit.
inline bool is_digit(const std::string& b, int i) {
  uint8_t c = byte_at(b, i);
  return c >= '0' && c <= '9';
}

// Get the value of a digit.
inline int as_digit(const std::string& b, int i) { return int(byte_at(b, i)) - '0'; }

// Check if the character at the specified position is a hex-digit.
inline bool is_hex(const std::string& b, int i) {
  uint8_t c = byte_at(b, i);
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

// Get the value of a hex-digit.
inline int as_hex(const std::string& b, int i) {
  uint8_t bi = byte_at(b, i);
  if (bi >= 'A' && bi <= 'F') return int(bi) - 'A' + 10;
  if (bi >= 'a' && bi <= 'f') return int(bi) - 'a' + 10;
  return int(bi) - '0';
}

// Check if the character is ASCII.
inline bool is_ascii(const std::string& b, int i) { return byte_at(b, i) <= 0x7F; }

// Check if the character at the start of the buffer can be printed unescaped.
// (Go's || and && short-circuit: later bytes are only read when the earlier tests need them.)
inline bool is_printable(const std::string& b, int i) {
  return ((byte_at(b, i) == 0x0A) ||                                  // . == #x0A
          (byte_at(b, i) >= 0x20 && byte_at(b, i) <= 0x7E) ||         // #x20 <= . <= #x7E
          (byte_at(b, i) == 0xC2 && byte_at(b, i + 1) >= 0xA0) ||     // #0xA0 <= . <= #xD7FF
          (byte_at(b, i) > 0xC2 && byte_at(b, i) < 0xED) ||           //
          (byte_at(b, i) == 0xED && byte_at(b, i + 1) < 0xA0) ||      //
          (byte_at(b, i) == 0xEE) ||                                  //
          (byte_at(b, i) == 0xEF &&                                   // #xE000 <= . <= #xFFFD
           !(byte_at(b, i + 1) == 0xBB && byte_at(b, i + 2) == 0xBF) &&  // && . != #xFEFF
           !(byte_at(b, i + 1) == 0xBF && (byte_at(b, i + 2) == 0xBE || byte_at(b, i + 2) == 0xBF))));
}

// Check if the character at the specified position is NUL.
inline bool is_z(const std::string& b, int i) { return byte_at(b, i) == 0x00; }

// Check if the beginning of the buffer is a BOM.
inline bool is_bom(const std::string& b, int /*i*/) {
  return byte_at(b, 0) == 0xEF && byte_at(b, 1) == 0xBB && byte_at(b, 2) == 0xBF;
}

// Check if the character at the specified position is space.
inline bool is_space(const std::string& b, int i) { return byte_at(b, i) == ' '; }

// Check if the character at the specified position is tab.
inline bool is_tab(const std::string& b, int i) { return byte_at(b, i) == '\t'; }

// Check if the character at the specified position is blank (space or tab).
inline bool is_blank(const std::string& b, int i) {
  uint8_t c = byte_at(b, i);
  return c == ' ' || c == '\t';
}

// Check if the character at the specified position is a line break.
inline bool is_break(const std::string& b, int i) {
  return (byte_at(b, i) == '\r' ||                                                       // CR (#xD)
          byte_at(b, i) == '\n' ||                                                       // LF (#xA)
          (byte_at(b, i) == 0xC2 && byte_at(b, i + 1) == 0x85) ||                        // NEL (#x85)
          (byte_at(b, i) == 0xE2 && byte_at(b, i + 1) == 0x80 && byte_at(b, i + 2) == 0xA8) ||  // LS (#x2028)
          (byte_at(b, i) == 0xE2 && byte_at(b, i + 1) == 0x80 && byte_at(b, i + 2) == 0xA9));   // PS (#x2029)
}

inline bool is_crlf(const std::string& b, int i) { return byte_at(b, i) == '\r' && byte_at(b, i + 1) == '\n'; }

// Check if the character is a line break or NUL.
inline bool is_breakz(const std::string& b, int i) { return is_break(b, i) || byte_at(b, i) == 0; }

// Check if the character is a line break, space, or NUL.
inline bool is_spacez(const std::string& b, int i) { return byte_at(b, i) == ' ' || is_breakz(b, i); }

// Check if the character is a line break, space, tab, or NUL.
inline bool is_blankz(const std::string& b, int i) {
  return byte_at(b, i) == ' ' || byte_at(b, i) == '\t' || is_breakz(b, i);
}

// Determine the width of the character.
inline int width(uint8_t b) {
  if ((b & 0x80) == 0x00) return 1;
  if ((b & 0xE0) == 0xC0) return 2;
  if ((b & 0xF0) == 0xE0) return 3;
  if ((b & 0xF8) == 0xF0) return 4;
  return 0;
}

}  // namespace capstan::goyaml

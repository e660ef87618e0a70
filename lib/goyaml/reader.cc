// The go-yaml v2 reader: detects the encoding (UTF-8, UTF-16LE/BE by BOM), validates and decodes the input into
// the UTF-8 working buffer the scanner reads, with go-yaml's exact reader errors.
// Port of go-yaml v2.4.0 as vendored in sigs.k8s.io/yaml v1.4.0 goyaml.v2/readerc.go (MIT license, derived from
// libyaml; see lib/goyaml/LICENSE.go-yaml). The read handler is go-yaml's string handler (apic.go
// yaml_string_read_handler), inlined: input is always an in-memory string.
#include <algorithm>
#include <cstdint>
#include <string>

#include "goyaml/yamlh.h"
#include "goyaml/yamlprivateh.h"
#include "util/error.h"

namespace capstan::goyaml {

namespace {

// Go's b[i] = v on a slice whose length is b.size(): out of range panics in Go, throws here.
void set_byte(std::string& b, int i, uint8_t v) {
  if (i < 0 || static_cast<size_t>(i) >= b.size()) index_out_of_range(i, static_cast<int>(b.size()));
  b[static_cast<size_t>(i)] = static_cast<char>(v);
}

// Go: yaml_string_read_handler(parser, parser.raw_buffer[len(parser.raw_buffer):cap(parser.raw_buffer)]).
// Appends up to `room` bytes of the input to the raw buffer; returns false (io.EOF) when the input is exhausted.
bool yaml_string_read_handler(yaml_parser_t* parser, int room, int* n) {
  *n = 0;
  if (parser->input_pos == static_cast<int>(parser->input.size())) return false;  // io.EOF
  *n = std::min(room, static_cast<int>(parser->input.size()) - parser->input_pos);
  parser->raw_buffer.append(parser->input, static_cast<size_t>(parser->input_pos), static_cast<size_t>(*n));
  parser->input_pos += *n;
  return true;
}

// Byte order marks.
constexpr uint8_t bom_UTF8[] = {0xef, 0xbb, 0xbf};
constexpr uint8_t bom_UTF16LE[] = {0xff, 0xfe};
constexpr uint8_t bom_UTF16BE[] = {0xfe, 0xff};

}  // namespace

// Set the reader error and return 0.
bool yaml_parser_set_reader_error(yaml_parser_t* parser, const std::string& problem, int offset, int value) {
  parser->error = yaml_READER_ERROR;
  parser->problem = problem;
  parser->problem_offset = offset;
  parser->problem_value = value;
  return false;
}

// Determine the input stream encoding by checking the BOM symbol. If no BOM is
// found, the UTF-8 encoding is assumed. Return 1 on success, 0 on failure.
bool yaml_parser_determine_encoding(yaml_parser_t* parser) {
  // Ensure that we had enough bytes in the raw buffer.
  while (!parser->eof && static_cast<int>(parser->raw_buffer.size()) - parser->raw_buffer_pos < 3) {
    if (!yaml_parser_update_raw_buffer(parser)) return false;
  }

  // Determine the encoding.
  const std::string& buf = parser->raw_buffer;
  int pos = parser->raw_buffer_pos;
  int avail = static_cast<int>(buf.size()) - pos;
  if (avail >= 2 && byte_at(buf, pos) == bom_UTF16LE[0] && byte_at(buf, pos + 1) == bom_UTF16LE[1]) {
    parser->encoding = yaml_UTF16LE_ENCODING;
    parser->raw_buffer_pos += 2;
    parser->offset += 2;
  } else if (avail >= 2 && byte_at(buf, pos) == bom_UTF16BE[0] && byte_at(buf, pos + 1) == bom_UTF16BE[1]) {
    parser->encoding = yaml_UTF16BE_ENCODING;
    parser->raw_buffer_pos += 2;
    parser->offset += 2;
  } else if (avail >= 3 && byte_at(buf, pos) == bom_UTF8[0] && byte_at(buf, pos + 1) == bom_UTF8[1] &&
             byte_at(buf, pos + 2) == bom_UTF8[2]) {
    parser->encoding = yaml_UTF8_ENCODING;
    parser->raw_buffer_pos += 3;
    parser->offset += 3;
  } else {
    parser->encoding = yaml_UTF8_ENCODING;
  }
  return true;
}

// Update the raw buffer.
bool yaml_parser_update_raw_buffer(yaml_parser_t* parser) {
  // Return if the raw buffer is full.
  if (parser->raw_buffer_pos == 0 && static_cast<int>(parser->raw_buffer.size()) == input_raw_buffer_size) {
    return true;
  }

  // Return on EOF.
  if (parser->eof) return true;

  // Move the remaining bytes in the raw buffer to the beginning.
  parser->raw_buffer.erase(0, static_cast<size_t>(parser->raw_buffer_pos));
  parser->raw_buffer_pos = 0;

  // Call the read handler to fill the buffer.
  int size_read = 0;
  if (!yaml_string_read_handler(parser, input_raw_buffer_size - static_cast<int>(parser->raw_buffer.size()),
                                &size_read)) {
    parser->eof = true;
  }
  // (The string handler has no other error than io.EOF: go-yaml's "input error: " path cannot happen.)
  return true;
}

// Ensure that the buffer contains at least `length` characters.
// Return true on success, false on failure.
//
// The length is supposed to be significantly less that the buffer size.
bool yaml_parser_update_buffer(yaml_parser_t* parser, int length) {
  if (!parser->read_handler) throw capstan::Error("go-yaml port: read handler must be set");

  // [Go] This function was changed to guarantee the requested length size at EOF.
  // The fact we need to do this is pretty awful, but the description above implies
  // for that to be the case, and there are tests

  // If the EOF flag is set and the raw buffer is empty, do nothing.
  // [Go] ACTUALLY! Read the documentation of this function above.
  // This is just broken. To return true, we need to have the
  // given length in the buffer. Not doing that means every single
  // check that calls this function to make sure the buffer has a
  // given length is Go) panicking; or C) accessing invalid memory.
  // (so go-yaml no longer returns early here)

  // Return if the buffer contains enough characters.
  if (parser->unread >= length) return true;

  // Determine the input encoding if it is not known yet.
  if (parser->encoding == yaml_ANY_ENCODING) {
    if (!yaml_parser_determine_encoding(parser)) return false;
  }

  // Move the unread characters to the beginning of the buffer.
  int buffer_len = static_cast<int>(parser->buffer.size());
  if (parser->buffer_pos > 0 && parser->buffer_pos < buffer_len) {
    parser->buffer.erase(0, static_cast<size_t>(parser->buffer_pos));
    buffer_len -= parser->buffer_pos;
    parser->buffer_pos = 0;
  } else if (parser->buffer_pos == buffer_len) {
    buffer_len = 0;
    parser->buffer_pos = 0;
  }

  // Open the whole buffer for writing, and cut it before returning.
  // (Go: parser.buffer[:cap(parser.buffer)]; the bytes past buffer_len are never read before being written.)
  parser->buffer.resize(input_buffer_size);

  // Fill the buffer until it has enough characters.
  bool first = true;
  while (parser->unread < length) {
    // Fill the raw buffer if necessary.
    if (!first || parser->raw_buffer_pos == static_cast<int>(parser->raw_buffer.size())) {
      if (!yaml_parser_update_raw_buffer(parser)) {
        parser->buffer.resize(static_cast<size_t>(buffer_len));
        return false;
      }
    }
    first = false;

    // Decode the raw buffer.
    while (parser->raw_buffer_pos != static_cast<int>(parser->raw_buffer.size())) {
      int32_t value = 0;
      int width = 0;

      int raw_unread = static_cast<int>(parser->raw_buffer.size()) - parser->raw_buffer_pos;

      // Decode the next character.
      bool incomplete = false;  // Go: break inner
      switch (parser->encoding) {
        case yaml_UTF8_ENCODING: {
          // Decode a UTF-8 character.  Check RFC 3629
          // (http://www.ietf.org/rfc/rfc3629.txt) for more details.
          //
          // The following table (taken from the RFC) is used for
          // decoding.
          //
          //    Char. number range |        UTF-8 octet sequence
          //      (hexadecimal)    |              (binary)
          //   --------------------+------------------------------------
          //   0000 0000-0000 007F | 0xxxxxxx
          //   0000 0080-0000 07FF | 110xxxxx 10xxxxxx
          //   0000 0800-0000 FFFF | 1110xxxx 10xxxxxx 10xxxxxx
          //   0001 0000-0010 FFFF | 11110xxx 10xxxxxx 10xxxxxx 10xxxxxx
          //
          // Additionally, the characters in the range 0xD800-0xDFFF
          // are prohibited as they are reserved for use with UTF-16
          // surrogate pairs.

          // Determine the length of the UTF-8 sequence.
          uint8_t octet = byte_at(parser->raw_buffer, parser->raw_buffer_pos);
          if ((octet & 0x80) == 0x00) {
            width = 1;
          } else if ((octet & 0xE0) == 0xC0) {
            width = 2;
          } else if ((octet & 0xF0) == 0xE0) {
            width = 3;
          } else if ((octet & 0xF8) == 0xF0) {
            width = 4;
          } else {
            // The leading octet is invalid.
            return yaml_parser_set_reader_error(parser, "invalid leading UTF-8 octet", parser->offset, int(octet));
          }

          // Check if the raw buffer contains an incomplete character.
          if (width > raw_unread) {
            if (parser->eof) {
              return yaml_parser_set_reader_error(parser, "incomplete UTF-8 octet sequence", parser->offset, -1);
            }
            incomplete = true;
            break;
          }

          // Decode the leading octet.
          if ((octet & 0x80) == 0x00) {
            value = octet & 0x7F;
          } else if ((octet & 0xE0) == 0xC0) {
            value = octet & 0x1F;
          } else if ((octet & 0xF0) == 0xE0) {
            value = octet & 0x0F;
          } else if ((octet & 0xF8) == 0xF0) {
            value = octet & 0x07;
          } else {
            value = 0;
          }

          // Check and decode the trailing octets.
          for (int k = 1; k < width; k++) {
            octet = byte_at(parser->raw_buffer, parser->raw_buffer_pos + k);

            // Check if the octet is valid.
            if ((octet & 0xC0) != 0x80) {
              return yaml_parser_set_reader_error(parser, "invalid trailing UTF-8 octet", parser->offset + k,
                                                  int(octet));
            }

            // Decode the octet.
            value = (value << 6) + (octet & 0x3F);
          }

          // Check the length of the sequence against the value.
          if (width == 1) {
          } else if (width == 2 && value >= 0x80) {
          } else if (width == 3 && value >= 0x800) {
          } else if (width == 4 && value >= 0x10000) {
          } else {
            return yaml_parser_set_reader_error(parser, "invalid length of a UTF-8 sequence", parser->offset, -1);
          }

          // Check the range of the value.
          if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
            return yaml_parser_set_reader_error(parser, "invalid Unicode character", parser->offset, int(value));
          }
          break;
        }

        case yaml_UTF16LE_ENCODING:
        case yaml_UTF16BE_ENCODING: {
          int low, high;
          if (parser->encoding == yaml_UTF16LE_ENCODING) {
            low = 0;
            high = 1;
          } else {
            low = 1;
            high = 0;
          }

          // The UTF-16 encoding is not as simple as one might
          // naively think.  Check RFC 2781
          // (http://www.ietf.org/rfc/rfc2781.txt).
          //
          // Normally, two subsequent bytes describe a Unicode
          // character.  However a special technique (called a
          // surrogate pair) is used for specifying character
          // values larger than 0xFFFF.
          //
          // A surrogate pair consists of two pseudo-characters:
          //      high surrogate area (0xD800-0xDBFF)
          //      low surrogate area (0xDC00-0xDFFF)
          //
          // The following formulas are used for decoding
          // and encoding characters using surrogate pairs:
          //
          //  U  = U' + 0x10000   (0x01 00 00 <= U <= 0x10 FF FF)
          //  U' = yyyyyyyyyyxxxxxxxxxx   (0 <= U' <= 0x0F FF FF)
          //  W1 = 110110yyyyyyyyyy
          //  W2 = 110111xxxxxxxxxx
          //
          // where U is the character value, W1 is the high surrogate
          // area, W2 is the low surrogate area.

          // Check for incomplete UTF-16 character.
          if (raw_unread < 2) {
            if (parser->eof) {
              return yaml_parser_set_reader_error(parser, "incomplete UTF-16 character", parser->offset, -1);
            }
            incomplete = true;
            break;
          }

          // Get the character.
          value = int32_t(byte_at(parser->raw_buffer, parser->raw_buffer_pos + low)) +
                  (int32_t(byte_at(parser->raw_buffer, parser->raw_buffer_pos + high)) << 8);

          // Check for unexpected low surrogate area.
          if ((value & 0xFC00) == 0xDC00) {
            return yaml_parser_set_reader_error(parser, "unexpected low surrogate area", parser->offset,
                                                int(value));
          }

          // Check for a high surrogate area.
          if ((value & 0xFC00) == 0xD800) {
            width = 4;

            // Check for incomplete surrogate pair.
            if (raw_unread < 4) {
              if (parser->eof) {
                return yaml_parser_set_reader_error(parser, "incomplete UTF-16 surrogate pair", parser->offset,
                                                    -1);
              }
              incomplete = true;
              break;
            }

            // Get the next character.
            int32_t value2 = int32_t(byte_at(parser->raw_buffer, parser->raw_buffer_pos + low + 2)) +
                             (int32_t(byte_at(parser->raw_buffer, parser->raw_buffer_pos + high + 2)) << 8);

            // Check for a low surrogate area.
            if ((value2 & 0xFC00) != 0xDC00) {
              return yaml_parser_set_reader_error(parser, "expected low surrogate area", parser->offset + 2,
                                                  int(value2));
            }

            // Generate the value of the surrogate pair.
            value = 0x10000 + ((value & 0x3FF) << 10) + (value2 & 0x3FF);
          } else {
            width = 2;
          }
          break;
        }

        default:
          throw capstan::Error("go-yaml port: impossible encoding (Go panics here)");
      }
      if (incomplete) break;  // Go: break inner

      // Check if the character is in the allowed range:
      //      #x9 | #xA | #xD | [#x20-#x7E]               (8 bit)
      //      | #x85 | [#xA0-#xD7FF] | [#xE000-#xFFFD]    (16 bit)
      //      | [#x10000-#x10FFFF]                        (32 bit)
      if (value == 0x09 || value == 0x0A || value == 0x0D || (value >= 0x20 && value <= 0x7E) || value == 0x85 ||
          (value >= 0xA0 && value <= 0xD7FF) || (value >= 0xE000 && value <= 0xFFFD) ||
          (value >= 0x10000 && value <= 0x10FFFF)) {
      } else {
        return yaml_parser_set_reader_error(parser, "control characters are not allowed", parser->offset,
                                            int(value));
      }

      // Move the raw pointers.
      parser->raw_buffer_pos += width;
      parser->offset += width;

      // Finally put the character into the buffer.
      if (value <= 0x7F) {
        // 0000 0000-0000 007F . 0xxxxxxx
        set_byte(parser->buffer, buffer_len + 0, uint8_t(value));
        buffer_len += 1;
      } else if (value <= 0x7FF) {
        // 0000 0080-0000 07FF . 110xxxxx 10xxxxxx
        set_byte(parser->buffer, buffer_len + 0, uint8_t(0xC0 + (value >> 6)));
        set_byte(parser->buffer, buffer_len + 1, uint8_t(0x80 + (value & 0x3F)));
        buffer_len += 2;
      } else if (value <= 0xFFFF) {
        // 0000 0800-0000 FFFF . 1110xxxx 10xxxxxx 10xxxxxx
        set_byte(parser->buffer, buffer_len + 0, uint8_t(0xE0 + (value >> 12)));
        set_byte(parser->buffer, buffer_len + 1, uint8_t(0x80 + ((value >> 6) & 0x3F)));
        set_byte(parser->buffer, buffer_len + 2, uint8_t(0x80 + (value & 0x3F)));
        buffer_len += 3;
      } else {
        // 0001 0000-0010 FFFF . 11110xxx 10xxxxxx 10xxxxxx 10xxxxxx
        set_byte(parser->buffer, buffer_len + 0, uint8_t(0xF0 + (value >> 18)));
        set_byte(parser->buffer, buffer_len + 1, uint8_t(0x80 + ((value >> 12) & 0x3F)));
        set_byte(parser->buffer, buffer_len + 2, uint8_t(0x80 + ((value >> 6) & 0x3F)));
        set_byte(parser->buffer, buffer_len + 3, uint8_t(0x80 + (value & 0x3F)));
        buffer_len += 4;
      }

      parser->unread++;
    }

    // On EOF, put NUL into the buffer and return.
    if (parser->eof) {
      set_byte(parser->buffer, buffer_len, 0);
      buffer_len++;
      parser->unread++;
      break;
    }
  }
  // [Go] Read the documentation of this function above. To return true,
  // we need to have the given length in the buffer. Not doing that means
  // every single check that calls this function to make sure the buffer
  // has a given length is Go) panicking; or C) accessing invalid memory.
  // This happens here due to the EOF above breaking early.
  while (buffer_len < length) {
    set_byte(parser->buffer, buffer_len, 0);
    buffer_len++;
  }
  parser->buffer.resize(static_cast<size_t>(buffer_len));
  return true;
}

}  // namespace capstan::goyaml

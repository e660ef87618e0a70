#include "values/yaml_hints.h"

#include <utility>

namespace capstan::values {

std::string ExplainYamlError(std::string_view m) {
  static const std::pair<const char*, const char*> kHints[] = {
      {"found character that cannot start any token",
       "a tab where YAML needs spaces (indent with spaces only), or a value starting with a character YAML "
       "reserves (@, `, %): quote such values"},
      {"found a tab character", "a tab in the indentation: indent with spaces only"},
      {"did not find expected key",
       "a line is indented differently from the keys of its map, or a quote or bracket before it is not closed"},
      {"mapping values are not allowed in this context",
       "\": \" inside an unquoted value, or a key at a deeper indentation than its map: quote the value or fix the "
       "indentation"},
      {"found unknown escape character",
       "a backslash escape that YAML does not know inside double quotes: write \\\\ for a backslash, or use single "
       "quotes"},
      {"did not find expected ',' or ']'", "a [ ] list is not closed, or two of its items lack a comma between them"},
      {"did not find expected ',' or '}'",
       "a { } map is not closed, or two of its entries lack a comma between them (a flow map's \":\" must be on "
       "the line of its key)"},
      {"could not find expected ':'", "a key is not followed by \":\" on its own line"},
      {"did not find expected node content", "a value is missing where one is expected, or an indicator (-, ?, :) "
                                             "stands where a value should"},
      {"did not find expected '-' indicator", "a list item is indented differently from the other items"},
      {"found unexpected end of stream", "a quoted value is not closed before the end of the file"},
      {"found undefined tag handle", "a !handle! tag that no %TAG directive defines"},
      {"did not find expected <document start>", "text after the end of a document (\"...\"): remove it"},
      {"found unexpected ':'", "a \":\" where YAML does not allow one: quote the value"},
      {"block sequence entries are not allowed in this context", "a \"- \" list item on the line of a key: start "
                                                                "the list on the next line"},
      {"did not find expected alphabetic or numeric character",
       "an anchor (&name), alias (*name) or tag with characters go-yaml does not allow (letters, digits, - and _)"},
      {"did not find URI escaped octet", "a tag with a bad %-escape"},
      {"found incompatible YAML document", "a %YAML directive for a version other than 1.x"},
      {"found duplicate %YAML directive", "two %YAML directives in one document"},
      {"invalid leading UTF-8 octet", "the file is not UTF-8 text (save it as UTF-8)"},
      {"incomplete UTF-8 octet sequence", "the file is not UTF-8 text (save it as UTF-8)"},
      {"invalid trailing UTF-8 octet", "the file is not UTF-8 text (save it as UTF-8)"},
      {"control characters are not allowed", "the file holds a control character (such as NUL or ESC): remove it"},
      {"unknown anchor", "an alias (*name) refers to an anchor (&name) that is not defined above it in the same "
                         "document"},
      {"value contains itself", "an alias refers to the node that contains it"},
      {"excessive aliasing", "aliases expand to far more data than the file holds (an alias bomb): Helm refuses it"},
      {"map merge requires map", "a merge key (<<) whose value is not a map or a list of maps"},
      {"invalid map key", "a list or a map used as a key"},
      {"unsupported map key of type", "a key that is null (~, empty) or a number too large for Helm: quote the key"},
      {"cannot decode", "a value that does not fit its explicit !!tag"},
      {"binary value contains invalid base64", "a !!binary value that is not valid base64"},
      {"json: unsupported value", ".inf, -.inf and .nan cannot be values: Helm converts values to JSON; quote them"},
      {"invalid Yaml document separator",
       "Helm 4 splits values files at every line that starts with \"---\": only spaces or a comment may follow "
       "the dashes"},
      {"cannot unmarshal array into Go value", "the file's top level must be a map of keys; it is a list"},
      {"cannot unmarshal string into Go value", "the file's top level must be a map of keys; it is a single value"},
      {"cannot unmarshal number into Go value", "the file's top level must be a map of keys; it is a number"},
      {"cannot unmarshal bool into Go value", "the file's top level must be a map of keys; it is a boolean"},
      {"exceeded max depth", "the values nest deeper than go-yaml allows (10000 levels)"},
  };
  for (const auto& [needle, hint] : kHints)
    if (m.find(needle) != std::string_view::npos) return hint;
  return "";
}

}  // namespace capstan::values

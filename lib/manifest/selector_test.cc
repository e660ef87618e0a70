// Label selectors: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) read from YAML and matched
// against labels; the empty selector matches nothing; ReadLabels reads metadata.labels.
#include <catch2/catch.hpp>

#include "manifest/selector.h"
#include "yaml/tree.h"

using namespace capstan;
using manifest::Labels;

namespace {
manifest::Selector Read(const char* text) {  // text: a literal, which outlives the Tree
  auto tree = yaml::Tree::Parse(text);
  return manifest::ReadSelector(tree.root());
}
}  // namespace

TEST_CASE("matchLabels: every label must be present with the same value") {
  auto s = Read("matchLabels: {app: web, tier: front}");
  CHECK(s.match_labels == Labels{{"app", "web"}, {"tier", "front"}});
  CHECK(s.Matches({{"app", "web"}, {"tier", "front"}, {"extra", "x"}}));
  CHECK_FALSE(s.Matches({{"app", "web"}}));
  CHECK_FALSE(s.Matches({{"app", "web"}, {"tier", "back"}}));
}

TEST_CASE("matchExpressions: In, NotIn, Exists, DoesNotExist, together with matchLabels") {
  auto s = Read(R"(
matchLabels: {app: db}
matchExpressions:
  - {key: role, operator: In, values: [primary, replica]}
  - {key: env, operator: NotIn, values: [test]}
  - {key: zone, operator: Exists}
  - {key: legacy, operator: DoesNotExist}
)");
  REQUIRE(s.expressions.size() == 4);
  CHECK(s.expressions[0].key == "role");
  CHECK(s.expressions[0].op == "In");
  CHECK(s.expressions[0].values == std::vector<std::string>{"primary", "replica"});
  Labels ok = {{"app", "db"}, {"role", "replica"}, {"zone", "a"}};
  CHECK(s.Matches(ok));
  auto with = [&](const std::string& k, const std::string& v) {
    Labels l = ok;
    l[k] = v;
    return l;
  };
  CHECK_FALSE(s.Matches(with("role", "arbiter")));  // In: not listed
  CHECK_FALSE(s.Matches(with("env", "test")));      // NotIn: listed
  CHECK(s.Matches(with("env", "prod")));
  CHECK_FALSE(s.Matches(with("legacy", "")));        // DoesNotExist: present, even empty
  Labels no_zone = ok;
  no_zone.erase("zone");
  CHECK_FALSE(s.Matches(no_zone));                   // Exists: missing
  Labels no_role = ok;
  no_role.erase("role");
  CHECK_FALSE(s.Matches(no_role));                   // In: a missing label is not in the set
  CHECK_FALSE(s.Matches(with("app", "web")));        // matchLabels still applies
}

TEST_CASE("an empty selector matches nothing, ReadLabels reads metadata.labels") {
  auto s = Read("{}");
  CHECK(s.empty());
  CHECK_FALSE(s.Matches({}));
  CHECK_FALSE(s.Matches({{"app", "web"}}));
  CHECK(Read("matchExpressions: [{key: a, operator: Exists}]").Matches({{"a", "1"}}));
  std::string text = "metadata: {name: x, labels: {app: web, version: '2'}}\nspec: {}\n";
  auto tree = yaml::Tree::Parse(text);
  CHECK(manifest::ReadLabels(tree.root()) == Labels{{"app", "web"}, {"version", "2"}});
  std::string bare = "metadata: {name: x}\n";
  auto no_labels = yaml::Tree::Parse(bare);
  CHECK(manifest::ReadLabels(no_labels.root()).empty());
}

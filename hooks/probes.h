// The one place the `capstan` binary attaches the probes that check wait conditions: lib/wait only parses and
// validates them (the post-renderer needs no more), lib/probe checks tcp:, dns:, http(s):, file:, postgres:, and
// lib/kube checks job: and rollout:. main.cc calls AttachProbes() before any subcommand runs.
#pragma once

namespace capstan::hooks {

void AttachProbes();

}  // namespace capstan::hooks

#!/usr/bin/env bash
# Packages the Helm 4 plugin folder (plugin.yaml + bin/capstan-postrender) into capstan-<version>.tgz with its
# signed capstan-<version>.tgz.prov, by Helm 4's own `helm plugin package` (so the format is Helm's by construction;
# it works offline). `helm plugin install capstan-<version>.tgz` (or its release URL) verifies the .prov by default.
#
#   scripts/package-plugin.sh --plugin-dir build/helm-plugin/capstan --dest build/dist --version 0.1.0 \
#       --key 'Capstan Release' --keyring ~/.gnupg/secring.gpg [--passphrase-file FILE]
#   scripts/package-plugin.sh ... --unsigned        # no .prov (users must then install with --verify=false)
#
# --keyring is a binary OpenPGP keyring holding the SECRET key (Helm reads no GnuPG 2 keybox):
#   gpg --export-secret-keys 'Capstan Release' > secring.gpg
# HELM4 (default: .deps/helm/4/helm, else `helm` on PATH) is the Helm 4 binary to package with.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
die() { printf 'package-plugin: %s\n' "$*" >&2; exit 2; }

plugin_dir="" dest="" version="" key="" keyring="" passphrase_file="" unsigned=0
while [ $# -gt 0 ]; do
  case "$1" in
    --plugin-dir) plugin_dir=$2; shift 2 ;;
    --dest) dest=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --keyring) keyring=$2; shift 2 ;;
    --passphrase-file) passphrase_file=$2; shift 2 ;;
    --unsigned) unsigned=1; shift ;;
    *) die "unknown argument $1" ;;
  esac
done
[ -n "$plugin_dir" ] && [ -n "$dest" ] && [ -n "$version" ] || die "--plugin-dir, --dest and --version are required"
[ -f "$plugin_dir/plugin.yaml" ] && [ -x "$plugin_dir/bin/capstan-postrender" ] ||
  die "$plugin_dir has no plugin.yaml and bin/capstan-postrender: build capstan-postrender first"
if [ "$unsigned" = 0 ]; then
  [ -n "$key" ] && [ -n "$keyring" ] ||
    die "signing needs --key NAME and --keyring SECRET-KEYRING (or --unsigned for a local test package)"
  [ -f "$keyring" ] || die "keyring $keyring not found"
fi
HELM4=${HELM4:-$ROOT/.deps/helm/4/helm}
[ -x "$HELM4" ] || HELM4=$(command -v helm || true)
[ -n "$HELM4" ] && "$HELM4" version --short 2>/dev/null | grep -q '^v4\.' || die "no Helm 4 binary (set HELM4)"

# The plugin.yaml version names the tarball (Helm: <name>-<version>.tgz); it must be the release's version.
yaml_version=$(sed -n 's/^version:[[:space:]]*//p' "$plugin_dir/plugin.yaml" | tr -d '"'"'"' ')
[ "$yaml_version" = "$version" ] || die "plugin.yaml says version $yaml_version, the release is $version"

# A clean copy: only what the plugin needs, with plain modes (Helm's tarball keeps them).
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/capstan/bin"
install -m 0644 "$plugin_dir/plugin.yaml" "$stage/capstan/plugin.yaml"
install -m 0755 "$plugin_dir/bin/capstan-postrender" "$stage/capstan/bin/capstan-postrender"
mkdir -p "$dest"
rm -f "$dest/capstan-$version.tgz" "$dest/capstan-$version.tgz.prov"
args=(plugin package "$stage/capstan" --destination "$dest")
if [ "$unsigned" = 1 ]; then
  args+=(--sign=false)
else
  args+=(--key "$key" --keyring "$keyring")
  # Helm asks for a passphrase only for an encrypted key; an empty file answers for a key without one.
  [ -n "$passphrase_file" ] && args+=(--passphrase-file "$passphrase_file")
fi
"$HELM4" "${args[@]}" </dev/null
[ -f "$dest/capstan-$version.tgz" ] || die "helm wrote no $dest/capstan-$version.tgz"
[ "$unsigned" = 1 ] || [ -f "$dest/capstan-$version.tgz.prov" ] || die "helm wrote no .prov"

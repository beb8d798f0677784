#!/bin/sh
# Installs an ippbridge firmware bundle on a running board, or into --root DIR (a mounted image; no systemctl then).
# Layout: /opt/ippbridge/{a,b} slots, /opt/ippbridge/current -> the active one; the other slot keeps the previous version.
# SPDX-License-Identifier: Apache-2.0
set -eu

usage() {
  cat <<'USAGE'
Usage: install.sh [--root DIR] [--bundle FILE.tar.gz] [--board FILE]

Installs the bundle this script belongs to (or --bundle FILE) into the inactive slot of /opt/ippbridge, switches
/opt/ippbridge/current to it, creates the ippbridge user, installs the systemd unit and udev rules, writes
/etc/ippbridge/board.json (from --board, else keeps the existing one, else the virtual engine) and enables the service.
With --root DIR everything goes below DIR and nothing is started. Run as root.
USAGE
}

say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: error: %s\n' "$*" >&2; exit 1; }

ROOT=
BUNDLE=
BOARD=
while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] || die "--root needs a directory"; ROOT=$2; shift 2 ;;
    --bundle) [ $# -ge 2 ] || die "--bundle needs a file"; BUNDLE=$2; shift 2 ;;
    --board) [ $# -ge 2 ] || die "--board needs a file"; BOARD=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "run as root (sudo)"
if [ -n "$ROOT" ]; then
  [ -d "$ROOT" ] || die "--root $ROOT is not a directory"
  ROOT=$(cd "$ROOT" && pwd)
fi
[ -z "$BOARD" ] || [ -f "$BOARD" ] || die "board config $BOARD not found"
NODE=${IPPBRIDGE_NODE:-node}

manifest_field() { sed -n "s/^  \"$1\": \"\([^\"]*\)\".*/\1/p" "$2" | head -n 1; }

host_arch() {
  case "$(uname -m)" in
    aarch64|arm64) echo arm64 ;;
    armv7l|armv8l) echo armv7 ;;
    x86_64|amd64) echo x64 ;;
    *) uname -m ;;
  esac
}

# 1. Pick the inactive slot and fill it.
OPT="$ROOT/opt/ippbridge"
mkdir -p "$OPT"
ACTIVE=$(readlink "$OPT/current" 2>/dev/null || true)
if [ "$ACTIVE" = a ]; then SLOT=b; else SLOT=a; fi
DEST="$OPT/$SLOT"
rm -rf "$DEST" "$OPT/.incoming"
mkdir -p "$OPT/.incoming"
if [ -n "$BUNDLE" ]; then
  [ -f "$BUNDLE" ] || die "bundle $BUNDLE not found"
  say "unpacking $(basename "$BUNDLE") into slot $SLOT"
  tar -xzf "$BUNDLE" -C "$OPT/.incoming" --strip-components=1 --no-same-owner
else
  SRC=$(cd "$(dirname "$0")/.." && pwd)
  [ -f "$SRC/manifest.json" ] || die "$SRC is not an unpacked bundle (no manifest.json); use --bundle FILE"
  say "copying $SRC into slot $SLOT"
  cp -R "$SRC/." "$OPT/.incoming/"
fi
[ -f "$OPT/.incoming/manifest.json" ] || die "the bundle has no manifest.json"
(cd "$OPT/.incoming" && sha256sum -c --quiet --strict SHA256SUMS) || die "bundle files do not match SHA256SUMS"
chown -R 0:0 "$OPT/.incoming"
chmod -R go-w "$OPT/.incoming"
mv "$OPT/.incoming" "$DEST"
VERSION=$(manifest_field version "$DEST/manifest.json")
ARCH=$(manifest_field arch "$DEST/manifest.json")
if [ -z "$ROOT" ] && [ "$ARCH" != "$(host_arch)" ]; then
  rm -rf "$DEST"
  die "this bundle is for $ARCH, this machine is $(host_arch)"
fi
if [ -z "$ROOT" ] && [ ! -x "$DEST/node/bin/node" ]; then
  command -v node >/dev/null 2>&1 || die "Node.js 20.3 or later is needed (apt install nodejs on Debian 13 / Raspberry Pi OS trixie)"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=3)?0:1)' ||
    die "Node.js $(node --version) is too old: 20.3 or later is needed"
fi
say "ippbridge $VERSION ($ARCH) in $DEST"
# The bundle's own Node.js runs the board-config check when it can run here (same arch, no --root from another one).
if [ -z "${IPPBRIDGE_NODE:-}" ] && [ -x "$DEST/node/bin/node" ] && "$DEST/node/bin/node" --version >/dev/null 2>&1; then
  NODE="$DEST/node/bin/node"
fi
# Status LED and button need the gpiod tools (gpioset, gpiomon); the printer runs without them.
if [ -z "$ROOT" ] && ! command -v gpioset >/dev/null 2>&1; then
  say "note: for a status LED or button install the GPIO tools: apt install gpiod"
fi

# 2. Service user: ippbridge, member of lp and dialout.
mkdir -p "$ROOT/etc/sysusers.d"
install -m 0644 "$DEST/firmware/sysusers/ippbridge.conf" "$ROOT/etc/sysusers.d/ippbridge.conf"
if [ -n "$ROOT" ]; then
  systemd-sysusers --root="$ROOT" "$DEST/firmware/sysusers/ippbridge.conf"
else
  systemd-sysusers "$DEST/firmware/sysusers/ippbridge.conf"
fi
# Raspberry Pi OS gives /dev/gpiochip* to group gpio: the service user joins it where it exists (status LED, button).
if grep -q '^gpio:' "$ROOT/etc/group" 2>/dev/null; then
  if [ -n "$ROOT" ]; then
    systemd-sysusers --root="$ROOT" --inline 'm ippbridge gpio'
  else
    systemd-sysusers --inline 'm ippbridge gpio'
  fi
fi

# 3. Board config (kept across reinstalls unless --board names one) and the drop-in derived from it.
mkdir -p "$ROOT/etc/ippbridge" "$ROOT/etc/systemd/system/ippbridge.service.d"
if [ -n "$BOARD" ]; then
  install -m 0644 "$BOARD" "$ROOT/etc/ippbridge/board.json"
elif [ ! -f "$ROOT/etc/ippbridge/board.json" ]; then
  install -m 0644 "$DEST/board-configs/virtual.json" "$ROOT/etc/ippbridge/board.json"
fi
"$NODE" "$DEST/dist/src/firmware/board-dropin.js" "$ROOT/etc/ippbridge/board.json" "$ARCH" /etc/ippbridge/board.json \
  >"$ROOT/etc/systemd/system/ippbridge.service.d/10-board.conf.new" || {
  rm -f "$ROOT/etc/systemd/system/ippbridge.service.d/10-board.conf.new"
  die "the board config is not valid (see above)"
}
mv "$ROOT/etc/systemd/system/ippbridge.service.d/10-board.conf.new" "$ROOT/etc/systemd/system/ippbridge.service.d/10-board.conf"

# 4. Units (service and its rollback backstop), rollback script, udev rules, update key.
install -m 0644 "$DEST/firmware/ippbridge.service" "$ROOT/etc/systemd/system/ippbridge.service"
install -m 0644 "$DEST/firmware/ippbridge-rollback.service" "$ROOT/etc/systemd/system/ippbridge-rollback.service"
install -m 0755 "$DEST/firmware/rollback.sh" "$OPT/rollback.sh"
# The first signed bundle brings the public key updates must be signed with; a key already there is never replaced
# from a bundle (replace /etc/ippbridge/update.pub by hand to change keys).
if [ -f "$DEST/firmware/update.pub" ] && [ ! -f "$ROOT/etc/ippbridge/update.pub" ]; then
  install -m 0644 "$DEST/firmware/update.pub" "$ROOT/etc/ippbridge/update.pub"
  say "update key installed: /etc/ippbridge/update.pub"
elif [ ! -f "$ROOT/etc/ippbridge/update.pub" ]; then
  say "warning: unsigned bundle and no /etc/ippbridge/update.pub: ippbridge update will refuse every bundle until one is installed"
fi
mkdir -p "$ROOT/etc/udev/rules.d"
install -m 0644 "$DEST/firmware/udev/60-ippbridge.rules" "$ROOT/etc/udev/rules.d/60-ippbridge.rules"

# 5. Switch current to the new slot (atomic rename of a symlink).
ln -sfn "$SLOT" "$OPT/current.new"
mv -T "$OPT/current.new" "$OPT/current"
say "current -> $SLOT${ACTIVE:+ (previous: $ACTIVE)}"

# 6. Enable (and on a running system start) the service.
if [ -n "$ROOT" ]; then
  mkdir -p "$ROOT/etc/systemd/system/multi-user.target.wants"
  ln -sfn /etc/systemd/system/ippbridge.service "$ROOT/etc/systemd/system/multi-user.target.wants/ippbridge.service"
  say "enabled ippbridge.service in $ROOT (starts at the next boot)"
else
  udevadm control --reload
  udevadm trigger --action=change --subsystem-match=usb --subsystem-match=usbmisc --subsystem-match=tty || true
  systemctl daemon-reload
  systemctl enable ippbridge.service
  systemctl restart ippbridge.service
  say "ippbridge.service restarted; follow it with: journalctl -u ippbridge -f"
fi

#!/bin/sh
# Rolls ippbridge back after a failed update: run by ippbridge-rollback.service (OnFailure= of ippbridge.service). Acts
# only while /opt/ippbridge/pending (written by `ippbridge update`, holding the previous slot) exists.
# SPDX-License-Identifier: Apache-2.0
set -eu
ROOT=
if [ "${1:-}" = --root ]; then
  [ $# -ge 2 ] || { echo "rollback: --root needs a directory" >&2; exit 2; }
  ROOT=$2
fi
OPT="$ROOT/opt/ippbridge"
if [ ! -f "$OPT/pending" ]; then
  echo "rollback: no update pending; nothing to do"
  exit 0
fi
PREV=$(cat "$OPT/pending")
case "$PREV" in
  a|b) ;;
  *) echo "rollback: $OPT/pending does not name a slot" >&2; rm -f "$OPT/pending"; exit 1 ;;
esac
[ -f "$OPT/$PREV/manifest.json" ] || { echo "rollback: slot $PREV holds no bundle" >&2; rm -f "$OPT/pending"; exit 1; }
ln -sfn "$PREV" "$OPT/current.rollback"
mv -T "$OPT/current.rollback" "$OPT/current"
sync
rm -f "$OPT/pending"
echo "rollback: current -> $PREV (the failed update stays in the other slot)"
if [ -z "$ROOT" ]; then
  systemctl reset-failed ippbridge.service || true
  systemctl restart --no-block ippbridge.service
fi

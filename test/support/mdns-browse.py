#!/usr/bin/python3
# Independent mDNS browser for the DNS-SD tests, built on python-zeroconf (Debian python3-zeroconf).
# Usage: mdns-browse.py INTERFACE_ADDRESS TYPE...; prints one JSON object per line; ends on stdin EOF.
# SPDX-License-Identifier: Apache-2.0

import json
import os
import sys
import threading

from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, ServiceStateChange, Zeroconf

RESOLVE_TIMEOUT_MS = 3000
LIFETIME_S = 120  # hard stop, so a lost parent never leaves this process behind

_print_lock = threading.Lock()


def emit(obj):
    with _print_lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def text(value):
    return None if value is None else value.decode("utf-8", "replace")


def resolve(zc, service_type, name, event):
    info = ServiceInfo(service_type, name)
    complete = info.request(zc, RESOLVE_TIMEOUT_MS)
    emit({
        "event": event,
        "type": service_type,
        "name": name,
        "complete": complete,
        "port": info.port,
        "server": info.server,
        "addresses": info.parsed_addresses(),
        "txt": {text(k): text(v) for k, v in info.properties.items()},
    })


def main():
    interface, types = sys.argv[1], sys.argv[2:]
    threading.Timer(LIFETIME_S, lambda: os._exit(3)).start()
    zc = Zeroconf(interfaces=[interface], ip_version=IPVersion.V4Only)

    def on_change(zeroconf, service_type, name, state_change):
        if state_change is ServiceStateChange.Removed:
            emit({"event": "removed", "type": service_type, "name": name})
            return
        event = "added" if state_change is ServiceStateChange.Added else "updated"
        threading.Thread(target=resolve, args=(zeroconf, service_type, name, event), daemon=True).start()

    browser = ServiceBrowser(zc, types, handlers=[on_change])
    emit({"event": "ready"})
    sys.stdin.read()
    browser.cancel()
    zc.close()
    os._exit(0)


if __name__ == "__main__":
    main()

// Settings `ippbridge flash` writes into a target root: host name, Wi-Fi (NetworkManager keyfile, regulatory country,
// rfkill unblock as Raspberry Pi OS expects) and the first-boot settings file the service consumes at its first start.
// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from 'node:crypto';
import { chown, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { WifiSettings } from './flash-args.js';
import { LAYOUT } from './layout.js';

/** First-boot settings file (LAYOUT.firstBoot), mode 0600; the first start applies it and removes it. */
export interface FirstBootSettings {
  readonly version: 1;
  readonly created: string;
  readonly hostname: string | undefined;
  /** the board config the service runs with */
  readonly board: string;
  /** set only when flash got --admin-password-file; otherwise the first start generates one and prints it once */
  readonly 'admin-password'?: string;
  readonly wifi: { readonly country: string; readonly ssid: string | undefined; readonly applied: readonly string[] } | undefined;
}

async function writeFileAtomic(file: string, text: string, mode: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, text, { mode });
  await rename(`${file}.tmp`, file);
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

/** /etc/hostname and the 127.0.1.1 line of /etc/hosts (Debian's convention for the host's own name). */
export async function writeHostname(root: string, hostname: string): Promise<void> {
  await writeFileAtomic(join(root, 'etc/hostname'), `${hostname}\n`, 0o644);
  const hosts = (await readText(join(root, 'etc/hosts'))) ?? '127.0.0.1\tlocalhost\n';
  const lines = hosts.split('\n').filter((line) => !/^127\.0\.1\.1\s/.test(line));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.push(`127.0.1.1\t${hostname}`);
  await writeFileAtomic(join(root, 'etc/hosts'), `${lines.join('\n')}\n`, 0o644);
}

/** GKeyFile string escaping for a keyfile value. */
function keyfileValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/^ /, '\\s');
}

/** A NetworkManager keyfile connection for a WPA-Personal network. */
export function networkManagerKeyfile(ssid: string, psk: string, uuid: string = randomUUID()): string {
  return [
    '[connection]',
    'id=ippbridge-wifi',
    `uuid=${uuid}`,
    'type=wifi',
    'autoconnect=true',
    '',
    '[wifi]',
    'mode=infrastructure',
    `ssid=${keyfileValue(ssid)}`,
    '',
    '[wifi-security]',
    'key-mgmt=wpa-psk',
    `psk=${keyfileValue(psk)}`,
    '',
    '[ipv4]',
    'method=auto',
    '',
    '[ipv6]',
    'method=auto',
    '',
  ].join('\n');
}

/** The boot partition inside root: /boot/firmware (Raspberry Pi OS bookworm and later) or /boot. */
async function cmdlineFile(root: string): Promise<string | undefined> {
  for (const rel of ['boot/firmware/cmdline.txt', 'boot/cmdline.txt']) {
    if ((await readText(join(root, rel))) !== undefined) return join(root, rel);
  }
  return undefined;
}

/** Apply Wi-Fi settings to the target; returns what was written (paths relative to root). */
export async function applyWifi(root: string, wifi: WifiSettings): Promise<string[]> {
  const applied: string[] = [];
  // Regulatory country on the kernel command line, as raspi-config does.
  const cmdline = await cmdlineFile(root);
  if (cmdline !== undefined) {
    const text = ((await readText(cmdline)) ?? '').trim().replace(/\s*cfg80211\.ieee80211_regdom=\S*/g, '');
    await writeFileAtomic(cmdline, `${text} cfg80211.ieee80211_regdom=${wifi.country}\n`, 0o644);
    applied.push(cmdline.slice(root.length));
  }
  // Raspberry Pi OS keeps Wi-Fi soft-blocked until a country is set: clear the saved rfkill states.
  const rfkillDir = join(root, 'var/lib/systemd/rfkill');
  for (const name of await readdir(rfkillDir).catch(() => [] as string[])) {
    if (!name.endsWith(':wlan')) continue;
    await writeFile(join(rfkillDir, name), '0\n');
    applied.push(`/var/lib/systemd/rfkill/${name}`);
  }
  if (wifi.ssid !== undefined && wifi.psk !== undefined) {
    const file = join(root, 'etc/NetworkManager/system-connections/ippbridge-wifi.nmconnection');
    await writeFileAtomic(file, networkManagerKeyfile(wifi.ssid, wifi.psk), 0o600);
    applied.push(file.slice(root.length));
  }
  return applied;
}

/** uid and gid of `user` in root/etc/passwd, or undefined. */
async function userIds(root: string, user: string): Promise<{ uid: number; gid: number } | undefined> {
  const passwd = (await readText(join(root, 'etc/passwd'))) ?? '';
  const fields = passwd.split('\n').find((line) => line.startsWith(`${user}:`))?.split(':');
  if (fields === undefined || fields.length < 4) return undefined;
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** Write the first-boot settings into the state directory, owned by the service user, mode 0600. */
export async function writeFirstBoot(root: string, settings: FirstBootSettings): Promise<string> {
  const file = join(root, LAYOUT.firstBoot);
  await mkdir(dirname(file), { recursive: true, mode: 0o750 });
  await writeFileAtomic(file, `${JSON.stringify(settings, null, 2)}\n`, 0o600);
  const ids = await userIds(root, 'ippbridge');
  if (ids !== undefined) {
    await chown(dirname(file), ids.uid, ids.gid);
    await chown(file, ids.uid, ids.gid);
  }
  return file;
}

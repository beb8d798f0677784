// Keep DNS-SD in step with settings changed on the web pages: a new printer name is published as the new
// instance name, a TXT change (location…) is re-announced; other changes send nothing.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import type { Advertiser } from '../dnssd/advertise.js';
import type { ServiceSpec } from '../dnssd/txt.js';
import type { Printer } from '../printer/printer.js';

/** Re-announce `advertiser` whenever the printer's name or TXT records change (a new name also becomes the DNS-SD name). */
export function syncDnsSd(printer: Printer, advertiser: Advertiser, services: () => readonly ServiceSpec[], log: Logger): void {
  let name = printer.config.name;
  let txt = JSON.stringify(services());
  let chain: Promise<void> = Promise.resolve();
  printer.onConfigChange(() => {
    const nextName = printer.config.name;
    const next = services();
    const nextTxt = JSON.stringify(next);
    if (nextName === name && nextTxt === txt) return;
    const renamed = nextName !== name;
    name = nextName;
    txt = nextTxt;
    if (renamed) printer.updateConfig({ dnsSdName: nextName });
    chain = chain
      .then(() => (renamed ? advertiser.publish(nextName, next) : advertiser.update(next)))
      .catch((err: unknown) => log.warn({ err }, 'DNS-SD re-announcement failed'));
  });
}

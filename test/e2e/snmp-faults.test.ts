// End to end through the real server: the virtual engine's fault file moves IPP printer-state-reasons and the
// SNMP hrDeviceStatus, hrPrinterStatus, hrPrinterDetectedErrorState and alert table together.
// SPDX-License-Identifier: Apache-2.0
import { setTimeout as delay } from 'node:timers/promises';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { keyword } from '../../src/ipp/build.js';
import { IppOp } from '../../src/ipp/ops.js';
import { ippCall, printerRequest, startServer, type RunningServer } from '../support/server.js';
import { requireSnmpTools, runSnmpTool } from './snmp-tools.js';

const HR_DEVICE_STATUS = '1.3.6.1.2.1.25.3.2.1.5.1';
const HR_PRINTER_STATUS = '1.3.6.1.2.1.25.3.5.1.1.1';
const HR_ERROR_STATE = '1.3.6.1.2.1.25.3.5.1.2.1';
const PRT_ALERT_CODE = '1.3.6.1.2.1.43.18.1.1.7';

interface Seen {
  readonly ipp: string[];
  readonly device: string;
  readonly printer: string;
  readonly errorState: string;
  readonly alertCodes: string[];
}

/** The SNMP port from the line printed right after the ready line (bounded wait for it to arrive). */
async function snmpPortOf(server: RunningServer): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const m = /ippbridge snmp: udp port (\d+)/.exec(server.output());
    if (m) return Number(m[1]);
    await delay(100);
  }
  throw new Error(`no SNMP port in the server output:\n${server.output()}`);
}

async function look(server: RunningServer, snmpPort: number): Promise<Seen> {
  const res = await ippCall(
    server.uri,
    printerRequest(server.uri, IppOp.GetPrinterAttributes, { operation: [{ name: 'requested-attributes', values: [keyword('printer-state-reasons')] }] }),
  );
  const reasons = res.groups.find((g) => g.tag === 'printer')?.attributes.find((a) => a.name === 'printer-state-reasons');
  const ipp = (reasons?.values ?? []).map((v) => ('value' in v ? String(v.value) : '')).sort();
  const get = await runSnmpTool('snmpget', '2c', snmpPort, [], [HR_DEVICE_STATUS, HR_PRINTER_STATUS, HR_ERROR_STATE]);
  const walk = await runSnmpTool('snmpwalk', '2c', snmpPort, [], [PRT_ALERT_CODE]);
  const value = (oid: string): string => get.lines.find((l) => l.oid === oid)?.value.trim() ?? '?';
  const alertCodes = walk.lines.filter((l) => l.oid.startsWith(`${PRT_ALERT_CODE}.`)).map((l) => l.value.trim());
  return { ipp, device: value(HR_DEVICE_STATUS), printer: value(HR_PRINTER_STATUS), errorState: value(HR_ERROR_STATE), alertCodes };
}

/** Poll (bounded) until `check` holds; the fault file is read at least every 1.5 s. */
async function until(server: RunningServer, port: number, check: (s: Seen) => boolean): Promise<Seen> {
  let seen = await look(server, port);
  for (let i = 0; i < 40 && !check(seen); i++) {
    await delay(150);
    seen = await look(server, port);
  }
  return seen;
}

t.test('media-empty, then cover-open, then cleared: IPP and SNMP change together', async (t) => {
  if (!requireSnmpTools(t)) return;
  const server = await startServer();
  t.teardown(() => server.stop());
  const port = await snmpPortOf(server);
  const faults = join(server.stateDir, 'virtual-engine.json');

  const idle = await look(server, port);
  t.same(idle.ipp, ['none']);
  t.same([idle.device, idle.printer, idle.errorState], ['2', '3', '00 00'], 'running, idle, no error bits');
  t.same(idle.alertCodes, []);

  await writeFile(faults, JSON.stringify({ 'state-reasons': ['media-empty'] }));
  const empty = await until(server, port, (s) => s.ipp.includes('media-empty'));
  t.ok(empty.ipp.includes('media-empty'), `IPP reasons ${empty.ipp.join(',')}`);
  t.same([empty.device, empty.printer, empty.errorState], ['5', '1', '40 04'], 'down, other, noPaper + inputTrayEmpty');
  t.same(empty.alertCodes, ['808'], 'one inputMediaSupplyEmpty alert row');

  await writeFile(faults, JSON.stringify({ 'state-reasons': ['cover-open'] }));
  const cover = await until(server, port, (s) => s.ipp.includes('cover-open') && !s.ipp.includes('media-empty'));
  t.same(cover.ipp, ['cover-open']);
  t.same([cover.device, cover.printer, cover.errorState], ['5', '1', '08 00'], 'down, other, doorOpen');
  t.same(cover.alertCodes, ['3'], 'the media alert row is gone, a coverOpen row is there');

  await writeFile(faults, JSON.stringify({ 'state-reasons': [] }));
  const clear = await until(server, port, (s) => s.ipp.length === 1 && s.ipp[0] === 'none');
  t.same(clear.ipp, ['none']);
  t.same([clear.device, clear.printer, clear.errorState], ['2', '3', '00 00']);
  t.same(clear.alertCodes, []);
});

// The consistent view one SNMP PDU is answered from (architecture.md §5.5), and SnmpState, which keeps what the
// state model does not: sysUpTime origin, the alert table, event counters and the supply-layout baseline.
// SPDX-License-Identifier: Apache-2.0
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DriverCapabilities, SupplyStatus } from '../../drivers/driver.js';
import type { PrinterConfig, PrinterStatusView } from '../printer/description.js';
import type { Printer } from '../printer/printer.js';
import { AlertTable, type AlertRow } from './alert-table.js';
import { deviceStatus, type DeviceStatus } from './state-map.js';
import type { Oid } from './types.js';

export type { AlertRow } from './alert-table.js';

/** Everything one PDU is answered from, captured once per PDU. */
export interface SnmpPrinterView {
  /** hundredths of a second since SnmpState was created, uint32 wrapped */
  readonly sysUpTime: number;
  readonly printer: PrinterStatusView;
  readonly caps: DriverCapabilities;
  readonly config: PrinterConfig;
  /** IEEE 1284 device id (printer-device-id) */
  readonly deviceId: string;
  /** ipp://host:port/ipp/print for ppmPortServiceNameOrURI and prtChannelInformation */
  readonly printerUri: string;
  /** prtAlertTable rows in prtAlertIndex order */
  readonly alerts: readonly AlertRow[];
  readonly counters: { readonly alertAll: number; readonly alertCritical: number; readonly configChanges: number };
  readonly sysObjectId: Oid;
  readonly sysDescr: string;
  readonly sysContact: string;
  readonly sysName: string;
  readonly sysLocation: string;
  /** hrDeviceDescr: make and model, tagged when the supply layout differs from the first one seen (§4) */
  readonly hrDeviceDescr: string;
  /** hrDeviceStatus, hrPrinterStatus, hrPrinterDetectedErrorState */
  readonly status: DeviceStatus;
  /** impressions since SnmpState was created (prtMarkerPowerOnCount) */
  readonly powerOnImpressions: number;
  readonly firmwareVersion: string;
}

/** Options of {@link SnmpState}. */
export interface SnmpStateOptions {
  /** sysObjectID: 1.3.6.1.4.1.<PEN>...; ippbridge has no PEN yet (the caller passes a placeholder) */
  readonly sysObjectId: Oid;
  readonly firmwareVersion: string;
  readonly boardName: string;
  /** the preferred printer URI, read at every capture */
  readonly printerUri: () => string;
  /** sysContact; '' when absent */
  readonly sysContact?: string;
  /** monotonic milliseconds (tests inject one); performance.now() when absent */
  readonly clock?: () => number;
}

/** hrDeviceDescr is DisplayString (SIZE (0..64)). */
const HR_DEVICE_DESCR_MAX = 64;

function supplyLayout(supplies: readonly SupplyStatus[]): string {
  return supplies.map((s) => `${s.type}\u0000${s.description}\u0000${s.color}`).join('\u0001');
}

/** SNMP-side state of one printer; subscribes to the state model until close(). */
export class SnmpState {
  readonly #printer: Printer;
  readonly #opts: SnmpStateOptions;
  readonly #clock: () => number;
  readonly #start: number;
  readonly #alertListeners = new Set<(row: AlertRow) => void>();
  readonly #alerts = new AlertTable((row) => {
    for (const listener of this.#alertListeners) listener(row);
  });
  readonly #startImpressions: number;
  readonly #onChange: () => void;
  #configChanges = 0;
  #lastConfig: PrinterConfig;
  #lastConfigDate: number;
  #baselineLayout: string | undefined;
  /** the last view and what it was built from: reused within the same sysUpTime tick while nothing changed */
  #last: { view: SnmpPrinterView; config: PrinterConfig; impressions: number } | undefined;
  readonly #invalidate = (): void => {
    this.#last = undefined;
  };

  constructor(printer: Printer, opts: SnmpStateOptions) {
    this.#printer = printer;
    this.#opts = opts;
    this.#clock = opts.clock ?? (() => performance.now());
    this.#start = this.#clock();
    this.#startImpressions = printer.state.impressionsCompleted;
    this.#lastConfig = printer.config;
    this.#lastConfigDate = printer.state.configChangeDate.getTime();
    this.#onChange = () => {
      this.#last = undefined;
      this.#sync();
    };
    printer.state.on('change', this.#onChange);
    printer.jobs.on('change', this.#invalidate);
    this.#sync();
  }

  /** sysUpTime now, in hundredths of a second, uint32 wrapped. */
  get sysUpTime(): number {
    return Math.floor((this.#clock() - this.#start) / 10) >>> 0;
  }

  /**
   * The view for one PDU. Within one sysUpTime tick (10 ms) an unchanged printer gives the same view object, so the
   * tables it feeds are computed once for a burst of requests instead of once per request.
   */
  capture(): SnmpPrinterView {
    const p = this.#printer;
    const last = this.#last;
    if (last && last.view.sysUpTime === this.sysUpTime && last.config === p.config && last.impressions === p.state.impressionsCompleted) {
      return last.view;
    }
    const view = this.#build();
    this.#last = { view, config: p.config, impressions: p.state.impressionsCompleted };
    return view;
  }

  #build(): SnmpPrinterView {
    this.#sync();
    const p = this.#printer;
    const status = p.statusView();
    const caps = p.capabilities;
    const config = p.config;
    const counters = this.#alerts.counters;
    return {
      sysUpTime: this.sysUpTime,
      printer: status,
      caps,
      config,
      deviceId: config.printerDeviceId,
      printerUri: this.#opts.printerUri(),
      alerts: this.#alerts.rows,
      counters: { alertAll: counters.alertAll, alertCritical: counters.alertCritical, configChanges: this.#configChanges },
      sysObjectId: this.#opts.sysObjectId,
      sysDescr: `ippbridge ${this.#opts.firmwareVersion} on ${this.#opts.boardName}, ${caps.makeAndModel}`,
      sysContact: this.#opts.sysContact ?? '',
      sysName: config.name,
      sysLocation: config.location,
      hrDeviceDescr: this.#deviceDescr(caps.makeAndModel, status.supplies),
      status: deviceStatus(status),
      powerOnImpressions: Math.max(0, status.impressionsCompleted - this.#startImpressions),
      firmwareVersion: this.#opts.firmwareVersion,
    };
  }

  /** Call `listener` for every alert row added from now on (its `time` is the sysUpTime of the addition); returns the unsubscribe. */
  onAlertAdded(listener: (row: AlertRow) => void): () => void {
    this.#alertListeners.add(listener);
    return () => this.#alertListeners.delete(listener);
  }

  /** Stop following the state model. */
  close(): void {
    this.#printer.state.off('change', this.#onChange);
    this.#printer.jobs.off('change', this.#invalidate);
  }

  /** Update the alert table and the config-change counter from the state model. */
  #sync(): void {
    const p = this.#printer;
    this.#alerts.sync(p.state.reasons, this.sysUpTime);
    const configDate = p.state.configChangeDate.getTime();
    if (configDate !== this.#lastConfigDate || p.config !== this.#lastConfig) {
      this.#lastConfigDate = configDate;
      this.#lastConfig = p.config;
      this.#configChanges = (this.#configChanges + 1) >>> 0;
    }
  }

  /**
   * CUPS caches the supply layout keyed on hrDeviceDescr (§4): when the layout differs from the first non-empty one
   * seen, append a short tag derived from it so CUPS re-reads the supplies.
   */
  #deviceDescr(makeAndModel: string, supplies: readonly SupplyStatus[]): string {
    const layout = supplyLayout(supplies);
    if (supplies.length > 0) this.#baselineLayout ??= layout;
    if (supplies.length === 0 || layout === this.#baselineLayout) return makeAndModel;
    const tag = ` [${createHash('sha256').update(layout).digest('hex').slice(0, 6)}]`;
    const room = HR_DEVICE_DESCR_MAX - Buffer.byteLength(tag);
    return Buffer.from(makeAndModel, 'utf8').subarray(0, room).toString('utf8').replace(/\uFFFD$/, '') + tag;
  }
}

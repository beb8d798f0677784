// Which driver suits an engine, by its IEEE 1284 device ID (MFG, MDL, CMD keys), lprint style: a data table, first
// match wins. Options given here are defaults the board config can still override.
// SPDX-License-Identifier: Apache-2.0

/** One row: every present pattern must match (case-insensitive); `cmd` matches one CMD token exactly. */
export interface DeviceIdMatch {
  readonly mfg?: RegExp;
  readonly mdl?: RegExp;
  /** one of these command-set tokens must be in CMD */
  readonly cmd?: readonly string[];
  readonly driver: string;
  readonly options?: Readonly<Record<string, unknown>>;
  /** why this row exists, shown by `ippbridge devices` */
  readonly note: string;
}

/** The table. Specific models first, then command sets. */
export const DEVICE_ID_TABLE: readonly DeviceIdMatch[] = [
  // Zebra desktop label printers: the model name carries the head resolution.
  { mfg: /^zebra/i, mdl: /300\s*dpi/i, driver: 'zpl', options: { resolution: 300 }, note: 'Zebra 300 dpi label printer' },
  { mfg: /^zebra/i, mdl: /600\s*dpi/i, driver: 'zpl', options: { resolution: 600 }, note: 'Zebra 600 dpi label printer' },
  { mfg: /^zebra/i, driver: 'zpl', options: { resolution: 203 }, note: 'Zebra label printer' },
  { cmd: ['ZPL', 'ZPL2', 'ZPLII'], driver: 'zpl', note: 'speaks ZPL' },
  // Epson TM receipt printers: 80 mm models print 576 dots, 58 mm models (TM-T20 58, TM-P20, TM-m10) 384 dots.
  { mfg: /^epson/i, mdl: /^TM-(P20|m10|T20.*58)/i, driver: 'escpos', options: { 'width-dots': 384 }, note: 'Epson 58 mm receipt printer' },
  { mfg: /^epson/i, mdl: /^TM-/i, driver: 'escpos', options: { 'width-dots': 576 }, note: 'Epson TM receipt printer' },
  { cmd: ['ESC/POS', 'ESCPOS', 'ESCPOSE'], driver: 'escpos', note: 'speaks ESC/POS' },
  // PCL 3/5 lasers and inkjets; colour models say so in CMD (PCL5C) or name.
  { cmd: ['PCL5C'], driver: 'pcl', options: { color: true }, note: 'colour PCL 5 printer' },
  { mfg: /^(hp|hewlett-packard)$/i, mdl: /color/i, cmd: ['PCL', 'PCL3', 'PCL5', 'PCL5E'], driver: 'pcl', options: { color: true }, note: 'HP colour PCL printer' },
  { cmd: ['PCL', 'PCL3', 'PCL5', 'PCL5E'], driver: 'pcl', note: 'speaks PCL 3/5' },
];

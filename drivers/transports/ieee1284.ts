// IEEE 1284 device ID strings ("MFG:…;MDL:…;CMD:…;"): parsing, make/model, and the GET_DEVICE_ID reply length
// (USB Printer Class 1.1 §4.2.1: 2-byte big-endian length that includes itself; some engines send it little-endian).
// SPDX-License-Identifier: Apache-2.0

/** Long key spellings mapped to the short ones engines usually send. */
const KEY_ALIASES: Readonly<Record<string, string>> = {
  MANUFACTURER: 'MFG',
  MODEL: 'MDL',
  'COMMAND SET': 'CMD',
  COMMANDSET: 'CMD',
  CLASS: 'CLS',
  DESCRIPTION: 'DES',
  SERN: 'SN',
  SERIALNUMBER: 'SN',
  'SERIAL NUMBER': 'SN',
};

/** Parse a 1284 device ID into upper-case keys (long forms normalised to MFG, MDL, CMD, CLS, DES, SN); first wins. */
export function parseDeviceId(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const raw = part.slice(0, colon).trim().toUpperCase();
    const value = part.slice(colon + 1).trim();
    if (raw === '') continue;
    const key = KEY_ALIASES[raw] ?? raw;
    if (!fields.has(key)) fields.set(key, value);
  }
  return fields;
}

/** Make and model as CUPS names them in a usb: URI. */
export interface MakeModel {
  readonly make: string;
  readonly model: string;
}

/** Manufacturer spellings shortened the way CUPS shortens them. */
const MAKE_ALIASES: Readonly<Record<string, string>> = {
  'hewlett-packard': 'HP',
  'hewlett packard': 'HP',
};

/** Make and model from a parsed (or raw) device ID; undefined when it names no model. */
export function makeModelFrom(id: ReadonlyMap<string, string> | string): MakeModel | undefined {
  const fields = typeof id === 'string' ? parseDeviceId(id) : id;
  const rawModel = fields.get('MDL') ?? '';
  if (rawModel === '') return undefined;
  const rawMake = fields.get('MFG') ?? '';
  const make = MAKE_ALIASES[rawMake.toLowerCase()] ?? rawMake;
  let model = rawModel;
  // "MFG:HP;MDL:HP LaserJet 1020" → model "LaserJet 1020", as CUPS strips a repeated make.
  for (const prefix of [rawMake, make]) {
    if (prefix !== '' && model.toLowerCase().startsWith(`${prefix.toLowerCase()} `)) {
      model = model.slice(prefix.length + 1).trim();
      break;
    }
  }
  if (make === '') {
    const space = model.indexOf(' ');
    if (space > 0) return { make: model.slice(0, space), model: model.slice(space + 1).trim() };
    return { make: 'Unknown', model };
  }
  return { make, model };
}

/**
 * Length of the device ID text in a GET_DEVICE_ID reply of `received` bytes (not counting the 2 length bytes).
 * The length field is big-endian and counts itself; when that value is impossible, a little-endian reading is
 * accepted, and otherwise the reply is trusted up to what arrived.
 */
export function deviceIdTextLength(reply: Uint8Array): number {
  if (reply.length < 2) return 0;
  const hi = reply[0] ?? 0;
  const lo = reply[1] ?? 0;
  const isPlausible = (n: number): boolean => n > 2 && n <= reply.length;
  const bigEndian = (hi << 8) | lo;
  if (isPlausible(bigEndian)) return bigEndian - 2;
  const littleEndian = (lo << 8) | hi;
  if (isPlausible(littleEndian)) return littleEndian - 2;
  return reply.length - 2;
}

/** The device ID text of a GET_DEVICE_ID reply, length parsed defensively, trailing NULs and spaces removed. */
export function deviceIdFromReply(reply: Uint8Array): string {
  const length = deviceIdTextLength(reply);
  const text = new TextDecoder('latin1').decode(reply.subarray(2, 2 + length));
  return text.replace(/[\0\s]+$/u, '');
}

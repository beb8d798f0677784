// IEEE 1284 device ID parsing, make/model naming and the defensive GET_DEVICE_ID length reading.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { deviceIdFromReply, deviceIdTextLength, makeModelFrom, parseDeviceId } from '../../../drivers/transports/ieee1284.js';

function reply(text: string, order: 'be' | 'le', extra = 0): Uint8Array {
  const body = Buffer.from(text, 'latin1');
  const n = body.length + 2;
  const head = order === 'be' ? [n >> 8, n & 0xff] : [n & 0xff, n >> 8];
  return Buffer.concat([Buffer.from(head), body, Buffer.alloc(extra)]);
}

t.test('long key names are normalised to the short ones and the first value wins', async (t) => {
  const id = parseDeviceId('MANUFACTURER:Epson; MODEL : TM-T88V ;COMMAND SET:ESC/POS;CLASS:PRINTER;DESCRIPTION:d;SERN:X1;MFG:Other;');
  t.same([...id.entries()], [
    ['MFG', 'Epson'],
    ['MDL', 'TM-T88V'],
    ['CMD', 'ESC/POS'],
    ['CLS', 'PRINTER'],
    ['DES', 'd'],
    ['SN', 'X1'],
  ]);
});

t.test('values keep colons after the first and pieces without a key are skipped', async (t) => {
  const id = parseDeviceId('MFG:Zebra;junk;:novalue;URL:http://x:80/;');
  t.equal(id.get('URL'), 'http://x:80/');
  t.equal(id.size, 2);
});

t.test('make and model drop a repeated make and shorten Hewlett-Packard to HP', async (t) => {
  t.same(makeModelFrom('MFG:Hewlett-Packard;MDL:HP LaserJet 1020;'), { make: 'HP', model: 'LaserJet 1020' });
  t.same(makeModelFrom('MFG:Zebra;MDL:ZD420;'), { make: 'Zebra', model: 'ZD420' });
  t.same(makeModelFrom('MDL:Brother QL-700;'), { make: 'Brother', model: 'QL-700' });
  t.equal(makeModelFrom('MFG:Zebra;CMD:ZPL;'), undefined);
});

t.test('a big-endian length that counts its own two bytes gives the text length', async (t) => {
  const text = 'MFG:EPSON;MDL:TM-T20;CMD:ESC/POS;';
  t.equal(deviceIdTextLength(reply(text, 'be', 30)), text.length);
  t.equal(deviceIdFromReply(reply(text, 'be', 30)), text);
});

t.test('a little-endian length is accepted when the big-endian reading is impossible', async (t) => {
  const text = 'MFG:EPSON;MDL:TM-T20;CMD:ESC/POS;'.repeat(3);
  const bytes = reply(text, 'le');
  t.ok(((bytes[0] ?? 0) << 8) + (bytes[1] ?? 0) > bytes.length, 'the big-endian reading is out of range');
  t.equal(deviceIdFromReply(bytes), text);
});

t.test('an impossible length in both orders falls back to the bytes that arrived', async (t) => {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.from('MFG:A;MDL:B;\0\0')]);
  t.equal(deviceIdFromReply(bytes), 'MFG:A;MDL:B;');
  t.equal(deviceIdTextLength(Uint8Array.of(0)), 0);
  t.equal(deviceIdFromReply(new Uint8Array(0)), '');
});

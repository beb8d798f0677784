// Every shipped board config loads, names a known driver whose options validate, and a link the registry knows.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadBoardConfig } from '../../src/config.js';
import { DRIVER_NAMES, driverFactory } from '../../drivers/languages/registry.js';
import { transportFor } from '../../drivers/transports/registry.js';

const DIR = fileURLToPath(new URL('../../board-configs/', import.meta.url));
const log = pino({ level: 'silent' });

t.test('the schema lists exactly the drivers the firmware has', async (t) => {
  const schema = JSON.parse(await readFile(join(DIR, 'schema.json'), 'utf8')) as {
    properties: { engine: { properties: { driver: { enum: string[] } } } };
  };
  t.same([...schema.properties.engine.properties.driver.enum].sort(), [...DRIVER_NAMES].sort());
});

t.test('every board config file loads and builds its driver', async (t) => {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.json') && f !== 'schema.json');
  t.ok(files.length >= 4, `board files: ${files.join(', ')}`);
  for (const file of files) {
    const board = await loadBoardConfig(join(DIR, file));
    const doc = JSON.parse(await readFile(join(DIR, file), 'utf8')) as Record<string, unknown>;
    t.equal(doc['$schema'], './schema.json', `${file} points at the schema`);
    if (board.engine.driver === 'virtual') continue;
    t.type(doc['$comment'], 'string', `${file} documents itself`);
    const driver = driverFactory(board.engine.driver)(board.engine.options, log);
    t.ok(driver.capabilities.makeAndModel.length > 0, `${file}: ${driver.capabilities.makeAndModel}`);
    t.ok(driver.capabilities.media.supported.includes(driver.capabilities.media.default), `${file}: default media is supported`);
    const scheme = new URL(board.engine.uri).protocol.replace(/:$/, '');
    t.equal(transportFor(new URL(board.engine.uri)).scheme, scheme, `${file}: ${scheme} link`);
  }
});

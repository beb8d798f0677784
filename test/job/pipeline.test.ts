// The job pipeline: decompression, waiting while the printer cannot print, and how runs end (outcome + reasons).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { gzipSync, deflateRawSync } from 'node:zlib';
import { pino } from 'pino';
import { FirmwareError } from '../../src/errors.js';
import { decompress, runPipeline, waitPrintable, type PipelineJob } from '../../src/job/pipeline.js';
import { defaultOptions } from '../../src/job/options.js';
import { PrinterState } from '../../src/printer/state.js';
import { FAKE_CAPABILITIES, FakeEngine, testDocument } from '../support/fake-engine.js';
import { documentOf } from '../support/ipp-client.js';

const silent = pino({ level: 'silent' });

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of source) parts.push(c);
  return Buffer.concat(parts);
}

function pipelineJob(engineDoc: Uint8Array, over: Partial<PipelineJob> = {}): PipelineJob {
  return {
    jobId: 1,
    jobName: 'p',
    format: 'image/pwg-raster',
    compression: 'none',
    options: defaultOptions(FAKE_CAPABILITIES),
    copies: [() => documentOf(engineDoc, 100)],
    log: silent,
    signal: new AbortController().signal,
    onStopped: () => undefined,
    onPage: () => undefined,
    ...over,
  };
}

function deps(engine: FakeEngine, state = new PrinterState(new Date(), [])) {
  return { driver: engine, openPort: engine.openPort.bind(engine), state };
}

t.test('compression none passes the stream through untouched', async (t) => {
  const src = documentOf(Buffer.from('abc'));
  t.equal(decompress(src, 'none'), src);
});

t.test('gzip documents are inflated', async (t) => {
  const data = testDocument(2);
  t.same(await collect(decompress(documentOf(gzipSync(data), 7), 'gzip')), data);
});

t.test('deflate documents are raw RFC 1951 streams', async (t) => {
  const data = testDocument(1);
  t.same(await collect(decompress(documentOf(deflateRawSync(data), 5), 'deflate')), data);
});

t.test('corrupt gzip data fails with a firmware error of the raster area', async (t) => {
  const err = await collect(decompress(documentOf(Buffer.from('definitely not gzip')), 'gzip')).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof FirmwareError, 'a FirmwareError');
  t.equal((err as FirmwareError).code, 'ERR_RASTER_FORMAT');
});

t.test('waitPrintable returns at once when the printer can print', async (t) => {
  const calls: boolean[] = [];
  await waitPrintable(new PrinterState(new Date(), []), new AbortController().signal, (s) => calls.push(s));
  t.same(calls, []);
});

t.test('waitPrintable waits while paused and reports stopped, then resumed', async (t) => {
  const state = new PrinterState(new Date(), []);
  state.setReasons({ add: ['paused'] }, new Date());
  const calls: boolean[] = [];
  let resolved = false;
  const wait = waitPrintable(state, new AbortController().signal, (s) => calls.push(s)).then(() => {
    resolved = true;
  });
  await new Promise((r) => setImmediate(r));
  t.equal(resolved, false);
  t.same(calls, [true]);
  state.setReasons({ add: ['other'] }, new Date());
  await new Promise((r) => setImmediate(r));
  t.equal(resolved, false, 'an unrelated change does not release it');
  state.setReasons({ remove: ['paused'] }, new Date());
  await wait;
  t.same(calls, [true, false]);
});

t.test('waitPrintable rejects when aborted while waiting', async (t) => {
  const state = new PrinterState(new Date(), []);
  state.setEngineStatus({ reasons: ['door-open'], supplies: [] }, new Date());
  const ac = new AbortController();
  const wait = waitPrintable(state, ac.signal, () => undefined);
  ac.abort('job-canceled-by-user');
  await t.rejects(wait);
});

t.test('a good document completes, drains and closes the port', async (t) => {
  const engine = new FakeEngine();
  const pages: number[] = [];
  const r = await runPipeline(pipelineJob(testDocument(3), { onPage: () => pages.push(1) }), deps(engine));
  t.same(r, { outcome: 'completed', reasons: ['job-completed-successfully'], message: 'Completed.' });
  t.equal(pages.length, 3);
  t.equal(engine.ports[0]?.isOpen, false);
});

t.test('every copy is printed from a fresh stream', async (t) => {
  const engine = new FakeEngine();
  const doc = testDocument(2);
  const r = await runPipeline(pipelineJob(doc, { copies: [() => documentOf(doc), () => documentOf(doc)] }), deps(engine));
  t.equal(r.outcome, 'completed');
  t.equal(engine.jobs[0]?.pages.length, 4);
});

t.test('a corrupt gzip document aborts with compression-error', async (t) => {
  const engine = new FakeEngine();
  const r = await runPipeline(pipelineJob(Buffer.from('not gzip at all'), { compression: 'gzip' }), deps(engine));
  t.equal(r.outcome, 'aborted');
  t.same(r.reasons, ['compression-error']);
  t.equal(engine.jobs[0]?.outcome, 'aborted');
});

t.test('a gzip document prints', async (t) => {
  const engine = new FakeEngine();
  const r = await runPipeline(pipelineJob(gzipSync(testDocument(2)), { compression: 'gzip' }), deps(engine));
  t.equal(r.outcome, 'completed');
  t.equal(engine.jobs[0]?.pages.length, 2);
});

t.test('an engine failing in endJob after a good run aborts the job', async (t) => {
  const engine = new FakeEngine();
  engine.failAt('endJob');
  const r = await runPipeline(pipelineJob(testDocument(1)), deps(engine));
  t.equal(r.outcome, 'aborted');
  t.same(r.reasons, ['aborted-by-system']);
});

t.test('a run aborted for shutdown is aborted-by-system, not canceled', async (t) => {
  const engine = new FakeEngine();
  const ac = new AbortController();
  ac.abort('shutdown');
  const r = await runPipeline(pipelineJob(testDocument(1), { signal: ac.signal }), deps(engine));
  t.equal(r.outcome, 'aborted');
  t.same(r.reasons, ['aborted-by-system']);
});

// Concurrency against the built server: 8 keep-alive clients fetching every attribute at once, and jobs created
// while another job prints are queued, never refused with server-error-busy.
// CONCURRENCY_SECONDS=<n> runs the load part longer by hand (default 15).
// SPDX-License-Identifier: Apache-2.0
import { Agent } from 'node:http';
import t from 'tap';
import { attr, boolean, findAttr, integer, keyword, mimeMediaType, name, numberValue } from '../../src/ipp/build.js';
import { decodeMessage } from '../../src/ipp/decode.js';
import { encodeMessage } from '../../src/ipp/encode.js';
import { IppOp } from '../../src/ipp/ops.js';
import { statusKeyword } from '../../src/ipp/status.js';
import { encodePwgRasterStream } from '../support/raster-writer.js';
import { generatePages } from '../support/samples.js';
import { ippCall, postIpp, printerRequest, startServer, waitForJobState } from '../support/server.js';

const server = await startServer();
t.teardown(() => server.stop());

t.test('8 keep-alive clients get complete, successful answers for all attributes', async (t) => {
  const seconds = Number(process.env['CONCURRENCY_SECONDS'] ?? 15);
  const body = encodeMessage(
    printerRequest(server.uri, IppOp.GetPrinterAttributes, {
      operation: [attr('requested-attributes', keyword('all'), keyword('media-col-database'))],
    }),
  );
  const deadline = Date.now() + seconds * 1000;
  const problems: string[] = [];
  const sizes = new Set<number>();
  let answers = 0;
  const worker = async (): Promise<void> => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (Date.now() < deadline && problems.length < 10) {
        const res = await postIpp(server.uri, body, { agent });
        if (res.status !== 200) {
          problems.push(`HTTP ${res.status}`);
          continue;
        }
        // Decode the whole body here (postIpp's decode is lenient about where the attributes end).
        const { message, bodyOffset } = decodeMessage(res.body);
        const status = statusKeyword(message.code);
        if (status !== 'successful-ok') problems.push(`status ${status}`);
        if (bodyOffset !== res.body.length) problems.push(`${res.body.length - bodyOffset} bytes after the attributes`);
        if (!findAttr(message, 'printer', 'media-col-database')) problems.push('media-col-database missing');
        sizes.add(res.body.length);
        answers++;
      }
    } catch (err) {
      problems.push(String(err));
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  t.comment(`${answers} answers in ${seconds} s over 8 keep-alive connections`);
  t.same(problems, [], 'every answer decodes completely with successful-ok and media-col-database');
  t.ok(answers >= 8, 'every client got answers');
  t.ok(sizes.size <= 3, `answers are consistent in size (${[...sizes].join(', ')} bytes)`);
  t.ok(server.proc.exitCode === null && server.proc.signalCode === null, 'the server is still alive');
});

t.test('jobs created while another job prints are queued, not refused as busy', async (t) => {
  const doc = Buffer.concat([...encodePwgRasterStream(generatePages({ type: 'sgray_8', dpi: 150, media: 'letter', pages: 2 }))]);
  const createA = await ippCall(server.uri, printerRequest(server.uri, IppOp.CreateJob, { operation: [attr('job-name', name('A'))] }));
  t.equal(statusKeyword(createA.code), 'successful-ok', 'Create-Job A');
  const idA = numberValue(findAttr(createA, 'job', 'job-id')) ?? 0;
  // Send half of A's document, then hold the rest back until B and C exist.
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  t.teardown(() => release());
  const half = Math.floor(doc.length / 2);
  const sendA = ippCall(
    server.uri,
    printerRequest(server.uri, IppOp.SendDocument, {
      operation: [attr('job-id', integer(idA)), attr('document-format', mimeMediaType('image/pwg-raster')), attr('last-document', boolean(true))],
    }),
    (async function* () {
      yield doc.subarray(0, half);
      await gate;
      yield doc.subarray(half);
    })(),
  );
  await waitForJobState(server.uri, idA, [5], 10_000);
  const createB = await ippCall(server.uri, printerRequest(server.uri, IppOp.CreateJob, { operation: [attr('job-name', name('B'))] }));
  t.equal(statusKeyword(createB.code), 'successful-ok', 'Create-Job B while A prints');
  const idB = numberValue(findAttr(createB, 'job', 'job-id')) ?? 0;
  t.equal(numberValue(findAttr(createB, 'job', 'job-state')), 3, 'B is pending');
  const small = Buffer.concat([...encodePwgRasterStream(generatePages({ type: 'sgray_8', dpi: 150, media: 'letter', pages: 1, widthPx: 64, heightPx: 64 }))]);
  const printC = await ippCall(
    server.uri,
    printerRequest(server.uri, IppOp.PrintJob, { operation: [attr('job-name', name('C')), attr('document-format', mimeMediaType('image/pwg-raster'))] }),
    small,
  );
  t.equal(statusKeyword(printC.code), 'successful-ok', 'Print-Job C while A prints is accepted, not server-error-busy');
  const idC = numberValue(findAttr(printC, 'job', 'job-id')) ?? 0;
  const stateC = await ippCall(server.uri, printerRequest(server.uri, IppOp.GetJobAttributes, { operation: [attr('job-id', integer(idC))] }));
  t.equal(numberValue(findAttr(stateC, 'job', 'job-state')), 3, 'C is pending behind A');
  release();
  t.equal(statusKeyword((await sendA).code), 'successful-ok', 'Send-Document A completes');
  const closeB = await ippCall(server.uri, printerRequest(server.uri, IppOp.CloseJob, { operation: [attr('job-id', integer(idB))] }));
  t.ok(['successful-ok', 'successful-ok-ignored-or-substituted-attributes'].includes(statusKeyword(closeB.code)), 'Close-Job B');
  for (const id of [idA, idC]) {
    const done = await waitForJobState(server.uri, id, [7, 8, 9]);
    t.equal(numberValue(findAttr(done, 'job', 'job-state')), 9, `job ${id} completed`);
  }
});

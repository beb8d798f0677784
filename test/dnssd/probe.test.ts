// Tests for mDNS name probing and the rename sequence, against an in-memory multicast-dns socket.
// SPDX-License-Identifier: Apache-2.0

import { EventEmitter } from 'node:events';
import t from 'tap';
import { ConfigError } from '../../src/errors.js';
import { candidateNames, normalizeInstanceName, probe } from '../../src/dnssd/probe.js';
import type { MdnsSocket } from '../../src/dnssd/probe.js';

type Question = { name: string; type: string };

/** A socket that records queries and lets the test answer them like another responder on the link. */
class FakeMdns extends EventEmitter implements MdnsSocket {
  readonly queries: Question[][] = [];
  answer: ((questions: readonly Question[]) => unknown) | undefined;
  sendError: Error | undefined;

  query(questions: readonly Question[], callback: (err: unknown) => void): void {
    this.queries.push([...questions]);
    const packet = this.answer?.(questions);
    setImmediate(() => {
      callback(this.sendError ?? null);
      if (packet !== undefined) this.emit('response', packet);
    });
  }
}

const fqdns = ['Printer._ipp._tcp.local', 'Printer._printer._tcp.local'];

function noSendError(): void {
  throw new Error('unexpected send error');
}

t.test('a free name is probed three times with ANY questions for every service', async (t) => {
  const mdns = new FakeMdns();
  const isTaken = await probe(mdns, fqdns, { signal: AbortSignal.timeout(10_000), onSendError: noSendError });
  t.equal(isTaken, false);
  t.equal(mdns.queries.length, 3);
  t.same(mdns.queries[0], fqdns.map((name) => ({ name, type: 'ANY' })));
  t.equal(mdns.listenerCount('response'), 0, 'the response listener is removed');
});

t.test('a live answer for one of the names, in any letter case, means the name is taken', async (t) => {
  const mdns = new FakeMdns();
  mdns.answer = () => ({ answers: [{ name: 'printer._PRINTER._tcp.local', type: 'SRV', ttl: 120 }], additionals: [] });
  const isTaken = await probe(mdns, fqdns, { signal: AbortSignal.timeout(10_000), onSendError: noSendError });
  t.equal(isTaken, true);
  t.equal(mdns.queries.length, 1, 'probing stops after the first conflict');
});

t.test('an additional record also counts as a conflict', async (t) => {
  const mdns = new FakeMdns();
  mdns.answer = () => ({ answers: [], additionals: [{ name: 'Printer._ipp._tcp.local', type: 'TXT', ttl: 4500 }] });
  t.equal(await probe(mdns, fqdns, { signal: AbortSignal.timeout(10_000), onSendError: noSendError }), true);
});

t.test('goodbyes, other names and malformed packets are not conflicts', async (t) => {
  const mdns = new FakeMdns();
  // One packet per probe query
  const packets: unknown[] = [
    { answers: [{ name: 'Printer._ipp._tcp.local', type: 'SRV', ttl: 0 }] },
    null,
    { answers: [null, 7, { name: 42 }, { name: 'Other._ipp._tcp.local', type: 'SRV', ttl: 120 }], additionals: 'x' },
  ];
  mdns.answer = () => packets.shift();
  t.equal(await probe(mdns, fqdns, { signal: AbortSignal.timeout(10_000), onSendError: noSendError }), false);
  t.equal(packets.length, 0, 'every packet was delivered');
});

t.test('send errors are reported and do not end the probe', async (t) => {
  const mdns = new FakeMdns();
  mdns.sendError = new Error('ENETUNREACH');
  const errors: unknown[] = [];
  const onSendError = (err: unknown): number => errors.push(err);
  const isTaken = await probe(mdns, fqdns, { signal: AbortSignal.timeout(10_000), onSendError });
  t.equal(isTaken, false);
  t.equal(errors.length, 3);
});

t.test('aborting ends the probe with an AbortError and removes the listener', async (t) => {
  const mdns = new FakeMdns();
  const ac = new AbortController();
  const result = probe(mdns, fqdns, { signal: ac.signal, onSendError: noSendError });
  ac.abort();
  await t.rejects(result, { name: 'AbortError' });
  t.equal(mdns.listenerCount('response'), 0);
});

t.test('candidate names go Name, Name (2), Name (3) and stop after a bounded number', async (t) => {
  const names = [...candidateNames('Printer')];
  t.same(names.slice(0, 3), ['Printer', 'Printer (2)', 'Printer (3)']);
  t.ok(names.length > 10 && names.length < 100, `${names.length} candidates`);
});

t.test('a name that already carries a number continues from it', async (t) => {
  t.same([...candidateNames('Printer (2)')].slice(0, 3), ['Printer (2)', 'Printer (3)', 'Printer (4)']);
});

t.test('renamed candidates stay within the 63-byte label limit', async (t) => {
  const long = 'Drucker für das Büro im Erdgeschoss neben der Küche und Kantine';
  for (const name of [...candidateNames(normalizeInstanceName(long))].slice(1)) {
    t.ok(Buffer.byteLength(name) <= 63, name);
    t.match(name, /^Drucker für .* \(\d+\)$/);
  }
});

t.test('instance names lose dots and surrounding space, and an empty name is a ConfigError', async (t) => {
  t.equal(normalizeInstanceName('  Acme v1.2 '), 'Acme v1-2');
  t.throws(() => normalizeInstanceName('   '), ConfigError);
});

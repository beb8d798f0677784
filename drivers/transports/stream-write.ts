// One chunk into a Node writable stream (a serial port, a TCP socket) the way the transports need it: resolved once
// the stream accepted it, then held at the high-water mark until 'drain', both raced against cancel and loss.
// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { TransportError } from '../../src/errors.js';
import { raceTransfer, type RaceOptions } from './race-transfer.js';

/** Write `data`; `onInFlight` gets a promise that settles when the stream is done with it (for discard and the next write). */
export async function writeToStream(stream: Writable, data: Uint8Array, race: RaceOptions, onInFlight: (settled: Promise<void>) => void): Promise<void> {
  let isBelowMark = true;
  const accepted = new Promise<void>((resolve, reject) => {
    isBelowMark = stream.write(data, (err: Error | null | undefined) =>
      err ? reject(new TransportError('disconnected', `${race.what} failed: ${err.message}`, { cause: err })) : resolve(),
    );
  });
  onInFlight(
    accepted.then(
      () => undefined,
      () => undefined,
    ),
  );
  await raceTransfer(accepted, race);
  // Above the stream's high-water mark: wait for 'drain' before taking more.
  if (!isBelowMark && stream.writableNeedDrain) await raceTransfer(once(stream, 'drain').then(() => undefined), race);
}

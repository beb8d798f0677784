// The contract between the dispatcher and the operation handlers (one file per IPP operation).
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import type { IppAttribute, IppGroup, IppMessage } from '../ipp/types.js';
import type { Printer } from '../printer/printer.js';
import type { Job } from '../job/job.js';

/** Who sent the request. */
export interface ClientIdentity {
  /** requesting-user-name (or 'anonymous'); authenticated names come with the security issue */
  readonly user: string;
  readonly secure: boolean;
  readonly isAdmin: boolean;
  /** address:port, for logs only */
  readonly remote: string;
}

/** Everything a handler may use. */
export interface OperationContext {
  readonly request: IppMessage;
  /** the request's operation attributes, by name */
  readonly operation: ReadonlyMap<string, IppAttribute>;
  readonly printer: Printer;
  readonly job: Job | undefined;
  readonly identity: ClientIdentity;
  readonly document: AsyncIterable<Uint8Array> | undefined;
  /** aborted if the client goes away */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** host[:port] the client addressed, for URIs in the response */
  readonly host: string;
}

/** What a handler returns: the status, extra operation attributes, unsupported attributes and result groups. */
export interface OperationResult {
  readonly status: string;
  readonly message?: string;
  readonly unsupported?: readonly IppAttribute[];
  readonly groups?: readonly IppGroup[];
}

export type OperationHandler = (ctx: OperationContext) => Promise<OperationResult>;

/** Dispatcher metadata for one operation. */
export interface OperationSpec {
  readonly code: number;
  readonly name: string;
  readonly target: 'printer' | 'job';
  readonly acceptsDocument: boolean;
  readonly handler: OperationHandler;
}

/** A successful result with the given groups. */
export function ok(groups: readonly IppGroup[] = [], unsupported: readonly IppAttribute[] = []): OperationResult {
  return {
    status: unsupported.length > 0 ? 'successful-ok-ignored-or-substituted-attributes' : 'successful-ok',
    unsupported,
    groups,
  };
}

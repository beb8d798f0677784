// The contract between the dispatcher and the operation handlers (one file per IPP operation).
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import type { IppAttribute, IppGroup, IppMessage } from '../ipp/types.js';
import type { Printer } from '../printer/printer.js';
import type { Job } from '../job/job.js';
import type { AuthMethod } from '../security/authenticate.js';

/** Who sent the request (security.md §8: an authenticated name overrides requesting-user-name). */
export interface ClientIdentity {
  /** the authenticated user, else requesting-user-name, else 'anonymous'; the job owner */
  readonly user: string;
  readonly secure: boolean;
  /** an authenticated administrator, or a loopback client when `auth.local-admin` allows it */
  readonly isAdmin: boolean;
  /** the user was proven (Basic or Bearer), not just claimed */
  readonly isAuthenticated: boolean;
  readonly method: AuthMethod;
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
  /** hide job-name and job-originating-user-name of other users' jobs (absent: show them) */
  readonly jobPrivacy?: boolean;
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
  /** who may call it beyond everyone: 'create' (job creation; anonymous only if allowed), 'admin' (operators) */
  readonly access?: 'create' | 'admin';
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

// Job ownership and operation access (security.md §8): a job is its owner's or an administrator's; operator
// operations need an administrator; job creation may need a login; other users' job details may be private.
// SPDX-License-Identifier: Apache-2.0
import { HttpError, IppError } from '../errors.js';
import type { IppAttribute } from '../ipp/types.js';
import type { Job } from '../job/job.js';
import type { ClientIdentity, OperationContext, OperationSpec } from './context.js';
import { JOB_PRIVACY_ATTRIBUTES } from '../printer/description.js';


/** Refuse a change to someone else's job: client-error-not-authorized (0x0403), as ippeveprinter does. */
export function checkOwner(ctx: OperationContext, job: Job): void {
  if (ctx.identity.isAdmin || ctx.identity.user === job.record.user) return;
  throw new IppError('client-error-not-authorized', `Job #${job.id} belongs to another user.`);
}

/** What checkAccess needs beyond the identity. */
export interface AccessContext {
  readonly anonymousPrinting: boolean;
  /** WWW-Authenticate value when an HTTP 401 can be sent (TLS), else undefined */
  readonly challenge: string | undefined;
}

/** The refusal for a request that needs a login it did not bring: HTTP 401 over TLS, else 0x0402 (security.md §4). */
function needLogin(access: AccessContext, what: string): never {
  if (access.challenge !== undefined) {
    throw new HttpError(401, `${what} needs a login.`, { 'WWW-Authenticate': access.challenge });
  }
  throw new IppError('client-error-not-authenticated', `${what} needs a login: use ipps:// with a user name and password.`);
}

/**
 * Decide whether `identity` may call `spec` at all: admin operations need an administrator (0x0401 for a known
 * non-admin user, a login otherwise); job creation needs a login when anonymous printing is off.
 */
export function checkAccess(spec: Pick<OperationSpec, 'access' | 'name'>, identity: ClientIdentity, access: AccessContext): void {
  switch (spec.access) {
    case undefined:
      return;
    case 'create':
      if (access.anonymousPrinting || identity.isAuthenticated || identity.isAdmin) return;
      needLogin(access, spec.name);
      break;
    case 'admin':
      if (identity.isAdmin) return;
      if (identity.isAuthenticated) throw new IppError('client-error-forbidden', `${spec.name} needs an administrator.`);
      needLogin(access, spec.name);
      break;
    default: {
      const never: never = spec.access;
      return never;
    }
  }
}

/** A job's attributes as `ctx`'s client may see them: private ones removed for other users' jobs (privacy on). */
export function visibleJobAttributes(ctx: OperationContext, job: Job, all: IppAttribute[]): IppAttribute[] {
  if (!ctx.jobPrivacy || ctx.identity.isAdmin || ctx.identity.user === job.record.user) return all;
  return all.filter((a) => !JOB_PRIVACY_ATTRIBUTES.includes(a.name));
}

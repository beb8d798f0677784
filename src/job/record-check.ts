// Shape check for job records read back from disk (they are `unknown` until checked).
// SPDX-License-Identifier: Apache-2.0
import type { JobRecord } from './job.js';
import { JobState } from './job.js';

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when `v` has every field a JobRecord needs with the right types. */
export function isJobRecord(v: unknown): v is JobRecord {
  if (!isObj(v)) return false;
  const num = (k: string): boolean => typeof v[k] === 'number' && Number.isFinite(v[k]);
  const str = (k: string): boolean => typeof v[k] === 'string';
  const optNum = (k: string): boolean => v[k] === undefined || v[k] === null || num(k);
  return (
    num('id') &&
    str('uuid') &&
    str('name') &&
    str('user') &&
    str('state') &&
    Object.hasOwn(JobState, v['state'] as string) &&
    Array.isArray(v['reasons']) &&
    (v['reasons'] as unknown[]).every((r) => typeof r === 'string') &&
    str('message') &&
    num('createdAt') &&
    optNum('processingAt') &&
    optNum('completedAt') &&
    str('format') &&
    str('compression') &&
    str('holdUntil') &&
    isObj(v['options']) &&
    str('documentState') &&
    num('kOctets') &&
    num('impressions') &&
    num('impressionsCompleted')
  );
}

// The Job model and its state machine (RFC 8011 §5.3.7 job-state, §5.3.8 job-state-reasons).
// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from 'node:crypto';
import type { PrintOptions } from '../../drivers/driver.js';
import { JobState } from '../ipp/enums.js';

export { JobState };
export type JobStateName = keyof typeof JobState;

/** Where the job's document is. */
export type DocumentState = 'none' | 'spooled' | 'streaming';

/** Everything persisted about a job (jobs/<id>.json). Times are Unix milliseconds. */
export interface JobRecord {
  id: number;
  uuid: string;
  name: string;
  user: string;
  state: JobStateName;
  reasons: string[];
  message: string;
  createdAt: number;
  processingAt: number | undefined;
  completedAt: number | undefined;
  format: string;
  compression: string;
  holdUntil: string;
  options: PrintOptions;
  /** job template attributes the client supplied, as keywords echoed back (e.g. 'media' only if sent) */
  documentState: DocumentState;
  lastDocument: boolean;
  kOctets: number;
  impressions: number;
  impressionsCompleted: number;
}

/** True for canceled, aborted and completed. */
export function isTerminal(state: JobStateName): boolean {
  return state === 'canceled' || state === 'aborted' || state === 'completed';
}

/** A job in memory: its record plus run-time controls. Mutate only through the methods. */
export class Job {
  readonly record: JobRecord;
  readonly controller = new AbortController();
  /** why the controller was aborted */
  abortReason: 'canceled-by-user' | 'canceled-by-operator' | 'aborted-by-system' | undefined;

  constructor(record: JobRecord) {
    this.record = record;
  }

  get id(): number {
    return this.record.id;
  }
  get state(): JobStateName {
    return this.record.state;
  }
  get isTerminal(): boolean {
    return isTerminal(this.record.state);
  }

  /** Move to `state` with `reasons` (replacing them) and stamp processing/completed times. */
  transition(state: JobStateName, reasons: readonly string[], now: number, message = ''): void {
    this.record.state = state;
    this.record.reasons = reasons.length > 0 ? [...reasons] : ['none'];
    this.record.message = message;
    if ((state === 'processing' || state === 'processing-stopped') && this.record.processingAt === undefined) {
      this.record.processingAt = now;
    }
    if (isTerminal(state)) {
      this.record.completedAt = now;
      if (this.record.processingAt === undefined) this.record.processingAt = now;
    }
  }

  /** Set or clear one reason without changing the state. */
  setReason(reason: string, present: boolean): boolean {
    const has = this.record.reasons.includes(reason);
    if (has === present) return false;
    const rest = this.record.reasons.filter((r) => r !== reason && r !== 'none');
    this.record.reasons = present ? [...rest, reason] : rest.length > 0 ? rest : ['none'];
    return true;
  }
}

/** What a client's request decides about a new job. */
export interface NewJobFields {
  name: string;
  user: string;
  format: string;
  compression: string;
  holdUntil: string;
  options: PrintOptions;
  impressions: number;
}

/** A fresh record for a new job. */
export function newJobRecord(fields: NewJobFields & { id: number; now: number }): JobRecord {
  return {
    id: fields.id,
    uuid: `urn:uuid:${randomUUID()}`,
    name: fields.name,
    user: fields.user,
    state: 'pending',
    reasons: ['none'],
    message: '',
    createdAt: fields.now,
    processingAt: undefined,
    completedAt: undefined,
    format: fields.format,
    compression: fields.compression,
    holdUntil: fields.holdUntil,
    options: fields.options,
    documentState: 'none',
    lastDocument: false,
    kOctets: 0,
    impressions: fields.impressions,
    impressionsCompleted: 0,
  };
}

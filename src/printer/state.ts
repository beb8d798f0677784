// The printer state model: printer-state, reasons, supplies, media, change times. IPP, SNMP, DNS-SD and the web
// pages are views of it; it emits one 'change' event per mutation.
// SPDX-License-Identifier: Apache-2.0
import { EventEmitter } from 'node:events';
import type { EngineStatus, SupplyStatus } from '../../drivers/driver.js';
import { isStoppingReason, reasonBase } from './stopping-reasons.js';

export type PrinterStateName = 'idle' | 'processing' | 'stopped';

/** One printer's condition. Time values are Unix seconds (as CUPS reports printer-up-time). */
export class PrinterState extends EventEmitter<{ change: [] }> {
  readonly startedAt: Date;
  #engineReasons: readonly string[] = [];
  #stackReasons = new Set<string>();
  #active = false;
  #state: PrinterStateName = 'idle';
  #message = '';
  #stateChangeDate: Date;
  #configChangeDate: Date;
  #supplies: readonly SupplyStatus[] = [];
  #mediaReady: readonly string[];
  /** what the engine last reported as loaded: a report that differs from it wins over an operator's setting */
  #engineMediaReady: readonly string[];
  #impressionsCompleted = 0;

  constructor(now: Date, mediaReady: readonly string[]) {
    super();
    this.startedAt = now;
    this.#stateChangeDate = now;
    this.#configChangeDate = now;
    this.#mediaReady = mediaReady;
    this.#engineMediaReady = mediaReady;
  }

  get state(): PrinterStateName {
    return this.#state;
  }
  get message(): string {
    return this.#message;
  }
  /** printer-state-reasons without 'none' (empty when there is none). */
  get reasons(): readonly string[] {
    return [...this.#stackReasons, ...this.#engineReasons.filter((r) => !this.#stackReasons.has(r))];
  }
  /** What the engine (or its link) last reported, without the stack's own reasons. */
  get engineReasons(): readonly string[] {
    return this.#engineReasons;
  }
  get stateChangeDate(): Date {
    return this.#stateChangeDate;
  }
  get configChangeDate(): Date {
    return this.#configChangeDate;
  }
  get supplies(): readonly SupplyStatus[] {
    return this.#supplies;
  }
  get mediaReady(): readonly string[] {
    return this.#mediaReady;
  }
  get impressionsCompleted(): number {
    return this.#impressionsCompleted;
  }
  get isPaused(): boolean {
    return this.#stackReasons.has('paused');
  }
  /** True while a reason that stops the engine (media-empty, door-open...) is present. */
  get isEngineStopped(): boolean {
    return this.#engineReasons.some(isStoppingReason);
  }
  /** Whether the engine reports media missing (drives the media-needed reason). */
  get isMediaMissing(): boolean {
    return this.#engineReasons.some((r) => {
      const b = reasonBase(r);
      return b === 'media-empty' || b === 'media-needed' || b === 'input-tray-missing';
    });
  }

  /** Apply what the engine reports; emits 'change' only when something differs. */
  setEngineStatus(status: EngineStatus, now: Date): void {
    const reasons = [...new Set(status.reasons.filter((r) => r !== 'none' && r !== ''))].sort();
    const changedReasons = reasons.join(',') !== [...this.#engineReasons].sort().join(',');
    const changedSupplies = JSON.stringify(status.supplies) !== JSON.stringify(this.#supplies);
    // The engine's report counts when it changes (it sensed new media); otherwise the operator's setting stays.
    const reported = status.mediaReady ?? this.#engineMediaReady;
    const ready = reported.join(',') !== this.#engineMediaReady.join(',') ? reported : this.#mediaReady;
    this.#engineMediaReady = reported;
    const changedMedia = ready.join(',') !== this.#mediaReady.join(',');
    if (!changedReasons && !changedSupplies && !changedMedia) return;
    this.#engineReasons = reasons;
    this.#supplies = status.supplies;
    this.#mediaReady = ready;
    if (changedMedia) this.#configChangeDate = now;
    this.#recompute(now, changedReasons);
  }

  /** The operator says what is loaded (web Media page); emits 'change' when it differs. */
  setMediaReady(ready: readonly string[], now: Date): void {
    if (ready.join(',') === this.#mediaReady.join(',')) return;
    this.#mediaReady = [...ready];
    this.#configChangeDate = now;
    this.#recompute(now, false);
  }

  /** Add and remove stack-owned reasons (paused, media-needed, ...). */
  setReasons(change: { add?: readonly string[]; remove?: readonly string[] }, now: Date): void {
    let changed = false;
    for (const r of change.remove ?? []) changed = this.#stackReasons.delete(r) || changed;
    for (const r of change.add ?? []) {
      if (!this.#stackReasons.has(r)) {
        this.#stackReasons.add(r);
        changed = true;
      }
    }
    if (changed) this.#recompute(now, true);
  }

  /** Whether a job is being processed right now. */
  setActive(active: boolean, now: Date): void {
    if (active === this.#active) return;
    this.#active = active;
    this.#recompute(now, false);
  }

  /** Count printed impressions (printer lifetime counter). */
  addImpressions(count: number): void {
    this.#impressionsCompleted += count;
  }

  #recompute(now: Date, reasonsChanged: boolean): void {
    const next: PrinterStateName = this.isPaused || this.isEngineStopped ? 'stopped' : this.#active ? 'processing' : 'idle';
    const message = this.isPaused
      ? 'Paused.'
      : this.isEngineStopped
        ? `Stopped: ${this.#engineReasons.filter(isStoppingReason).join(', ')}.`
        : this.#active
          ? 'Printing.'
          : 'Idle.';
    if (next !== this.#state || reasonsChanged || message !== this.#message) this.#stateChangeDate = now;
    this.#state = next;
    this.#message = message;
    this.emit('change');
  }
}

// Enum attribute values by keyword (RFC 8011 §5.3-§5.4, PWG 5100.1); operations-supported uses IppOp from ops.ts.
// SPDX-License-Identifier: Apache-2.0

/** printer-state (RFC 8011 §5.4.11). */
export const PrinterState = {
  idle: 3,
  processing: 4,
  stopped: 5,
} as const;

/** job-state (RFC 8011 §5.3.7). */
export const JobState = {
  pending: 3,
  'pending-held': 4,
  processing: 5,
  'processing-stopped': 6,
  canceled: 7,
  aborted: 8,
  completed: 9,
} as const;

/** orientation-requested (RFC 8011 §5.2.10). */
export const OrientationRequested = {
  portrait: 3,
  landscape: 4,
  'reverse-landscape': 5,
  'reverse-portrait': 6,
  none: 7,
} as const;

/** print-quality (RFC 8011 §5.2.13). */
export const PrintQuality = {
  draft: 3,
  normal: 4,
  high: 5,
} as const;

/** finishings (RFC 8011 §5.2.6, PWG 5100.1); only the value IPP Everywhere requires. */
export const Finishings = {
  none: 3,
} as const;

/** A printer-state keyword. */
export type PrinterStateKeyword = keyof typeof PrinterState;
/** A job-state keyword. */
export type JobStateKeyword = keyof typeof JobState;

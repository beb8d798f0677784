// printer-state-reasons keywords (RFC 8011 §5.4.12, PWG 5100.9, IANA IPP registry) that stop the engine printing.
// While one is present (without a -report or -warning suffix) the stack holds the current job.
// SPDX-License-Identifier: Apache-2.0

/**
 * Conditions under which an engine cannot put marks on paper. Chosen from the IANA printer-state-reasons list:
 * missing or jammed media, open covers, missing trays, full output or waste, empty or missing marking supplies, and an
 * engine that is offline, paused by its own panel or shutting down. Low-supply and "report" reasons never stop.
 */
export const STOPPING_REASONS: ReadonlySet<string> = new Set([
  'cover-open',
  'developer-empty',
  'door-open',
  'fuser-over-temp',
  'input-tray-missing',
  'interlock-open',
  'marker-cleaner-missing',
  'marker-developer-empty',
  'marker-developer-missing',
  'marker-fuser-missing',
  'marker-ink-empty',
  'marker-ink-missing',
  'marker-opc-missing',
  'marker-print-ribbon-empty',
  'marker-print-ribbon-missing',
  'marker-supply-empty',
  'marker-supply-missing',
  'marker-toner-cartridge-missing',
  'marker-toner-missing',
  'marker-waste-full',
  'marker-waste-ink-receptacle-full',
  'marker-waste-ink-receptacle-missing',
  'marker-waste-missing',
  'marker-waste-toner-receptacle-full',
  'marker-waste-toner-receptacle-missing',
  'media-empty',
  'media-jam',
  'media-needed',
  'offline',
  'opc-life-over',
  'output-area-full',
  'output-tray-missing',
  'paused',
  'shutdown',
  'toner-empty',
]);

/** The keyword without its RFC 8011 severity suffix (-report, -warning, -error). */
export function reasonBase(keyword: string): string {
  return keyword.replace(/-(report|warning|error)$/, '');
}

/** True when `keyword` (severity suffix allowed) stops printing; '-report' and '-warning' variants never do. */
export function isStoppingReason(keyword: string): boolean {
  if (keyword.endsWith('-report') || keyword.endsWith('-warning')) return false;
  return STOPPING_REASONS.has(reasonBase(keyword));
}

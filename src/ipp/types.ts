// IPP message model (RFC 8010 §3, RFC 8011 §5.1): a tagged union per attribute syntax.
// SPDX-License-Identifier: Apache-2.0

/** Attribute group names (RFC 8010 §3.5.1 delimiter tags, by their spec names). */
export type GroupTag =
  | 'operation'
  | 'job'
  | 'printer'
  | 'unsupported'
  | 'subscription'
  | 'event-notification'
  | 'resource'
  | 'document'
  | 'system';

/** Out-of-band values (RFC 8010 §3.5.2). */
export type OutOfBand = 'unsupported' | 'unknown' | 'no-value' | 'not-settable' | 'delete-attribute' | 'admin-define';

/** Syntaxes whose value is a plain string. */
export type StringSyntax =
  | 'keyword'
  | 'uri'
  | 'uriScheme'
  | 'charset'
  | 'naturalLanguage'
  | 'mimeMediaType'
  | 'name'
  | 'text';

/** One attribute value. Unknown tags round-trip as `opaque`. */
export type IppValue =
  | { readonly syntax: 'integer' | 'enum'; readonly value: number }
  | { readonly syntax: 'boolean'; readonly value: boolean }
  | { readonly syntax: StringSyntax; readonly value: string }
  | { readonly syntax: 'nameWithLanguage' | 'textWithLanguage'; readonly value: string; readonly language: string }
  | { readonly syntax: 'rangeOfInteger'; readonly lower: number; readonly upper: number }
  | { readonly syntax: 'resolution'; readonly x: number; readonly y: number; readonly units: 'dpi' | 'dpcm' }
  | { readonly syntax: 'dateTime'; readonly value: Date; readonly utcOffsetMinutes: number }
  | { readonly syntax: 'octetString'; readonly value: Uint8Array }
  | { readonly syntax: 'collection'; readonly members: readonly IppAttribute[] }
  | { readonly syntax: 'out-of-band'; readonly value: OutOfBand }
  | { readonly syntax: 'opaque'; readonly tag: number; readonly bytes: Uint8Array };

/** A named attribute with one or more values (more than one = 1setOf). */
export interface IppAttribute {
  readonly name: string;
  readonly values: readonly IppValue[];
}

/** An attribute group; the same tag may repeat (Get-Jobs answers one job group per job). */
export interface IppGroup {
  readonly tag: GroupTag;
  readonly attributes: readonly IppAttribute[];
}

/** A whole IPP request or response without its document data. */
export interface IppMessage {
  readonly version: { readonly major: number; readonly minor: number };
  /** operation-id in requests, status-code in responses */
  readonly code: number;
  readonly requestId: number;
  readonly groups: readonly IppGroup[];
}

/** Bounds the decoder enforces against hostile input. */
export interface DecodeLimits {
  /** total bytes of the attribute section (everything before the document data) */
  readonly maxAttributeBytes: number;
  /** total number of values across all attributes, collection members included */
  readonly maxValues: number;
  /** collection nesting depth */
  readonly maxDepth: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxAttributeBytes: 256 * 1024,
  maxValues: 8192,
  maxDepth: 8,
};

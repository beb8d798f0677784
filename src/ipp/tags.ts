// IPP wire tags (RFC 8010 §3.5.1 delimiter tags, §3.5.2 value tags) and group name maps.
// SPDX-License-Identifier: Apache-2.0
import type { GroupTag, OutOfBand, StringSyntax } from './types.js';

/** Delimiter tags: one byte that starts an attribute group or ends the attribute section (RFC 8010 §3.5.1). */
export const DelimiterTag = {
  Operation: 0x01,
  Job: 0x02,
  End: 0x03,
  Printer: 0x04,
  Unsupported: 0x05,
  Subscription: 0x06,
  EventNotification: 0x07,
  Resource: 0x08,
  Document: 0x09,
  System: 0x0a,
} as const;

/** Value tags (RFC 8010 §3.5.2); 0x7F is the extension tag whose real tag is the first 4 value bytes. */
export const ValueTag = {
  Unsupported: 0x10,
  Unknown: 0x12,
  NoValue: 0x13,
  NotSettable: 0x15,
  DeleteAttribute: 0x16,
  AdminDefine: 0x17,
  Integer: 0x21,
  Boolean: 0x22,
  Enum: 0x23,
  OctetString: 0x30,
  DateTime: 0x31,
  Resolution: 0x32,
  RangeOfInteger: 0x33,
  BegCollection: 0x34,
  TextWithLanguage: 0x35,
  NameWithLanguage: 0x36,
  EndCollection: 0x37,
  TextWithoutLanguage: 0x41,
  NameWithoutLanguage: 0x42,
  Keyword: 0x44,
  Uri: 0x45,
  UriScheme: 0x46,
  Charset: 0x47,
  NaturalLanguage: 0x48,
  MimeMediaType: 0x49,
  MemberAttrName: 0x4a,
  Extension: 0x7f,
} as const;

/** Tags below this value are delimiters; the rest are value tags (RFC 8010 §3.5). */
export const FIRST_VALUE_TAG = 0x10;

/** Group name -> delimiter tag. */
export const GROUP_TAG: Readonly<Record<GroupTag, number>> = {
  operation: DelimiterTag.Operation,
  job: DelimiterTag.Job,
  printer: DelimiterTag.Printer,
  unsupported: DelimiterTag.Unsupported,
  subscription: DelimiterTag.Subscription,
  'event-notification': DelimiterTag.EventNotification,
  resource: DelimiterTag.Resource,
  document: DelimiterTag.Document,
  system: DelimiterTag.System,
};

/** Delimiter tag -> group name, indexed by tag (undefined for end, reserved and value tags). */
export const GROUP_NAME: readonly (GroupTag | undefined)[] = (() => {
  const table: (GroupTag | undefined)[] = new Array<GroupTag | undefined>(FIRST_VALUE_TAG).fill(undefined);
  for (const [name, tag] of Object.entries(GROUP_TAG) as [GroupTag, number][]) table[tag] = name;
  return table;
})();

/** Out-of-band keyword -> value tag. */
export const OUT_OF_BAND_TAG: Readonly<Record<OutOfBand, number>> = {
  unsupported: ValueTag.Unsupported,
  unknown: ValueTag.Unknown,
  'no-value': ValueTag.NoValue,
  'not-settable': ValueTag.NotSettable,
  'delete-attribute': ValueTag.DeleteAttribute,
  'admin-define': ValueTag.AdminDefine,
};

/** Out-of-band value tag -> keyword, indexed by tag (undefined for other tags). */
export const OUT_OF_BAND_NAME: readonly (OutOfBand | undefined)[] = (() => {
  const table: (OutOfBand | undefined)[] = new Array<OutOfBand | undefined>(0x20).fill(undefined);
  for (const [name, tag] of Object.entries(OUT_OF_BAND_TAG) as [OutOfBand, number][]) table[tag] = name;
  return table;
})();

/** String syntax -> value tag (`name` and `text` are the without-language forms). */
export const STRING_TAG: Readonly<Record<StringSyntax, number>> = {
  text: ValueTag.TextWithoutLanguage,
  name: ValueTag.NameWithoutLanguage,
  keyword: ValueTag.Keyword,
  uri: ValueTag.Uri,
  uriScheme: ValueTag.UriScheme,
  charset: ValueTag.Charset,
  naturalLanguage: ValueTag.NaturalLanguage,
  mimeMediaType: ValueTag.MimeMediaType,
};

/** Value tag -> string syntax, indexed by tag (undefined for other tags). */
export const STRING_SYNTAX: readonly (StringSyntax | undefined)[] = (() => {
  const table: (StringSyntax | undefined)[] = new Array<StringSyntax | undefined>(0x50).fill(undefined);
  for (const [name, tag] of Object.entries(STRING_TAG) as [StringSyntax, number][]) table[tag] = name;
  return table;
})();

const lowerFirst = (key: string): string => key.charAt(0).toLowerCase() + key.slice(1);
const TAG_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  ...Object.entries(ValueTag).map(([key, tag]): [number, string] => [tag, OUT_OF_BAND_NAME[tag] ?? lowerFirst(key)]),
  ...Object.entries(GROUP_TAG).map(([name, tag]): [number, string] => [tag, `${name}-attributes-tag`]),
  [DelimiterTag.End, 'end-of-attributes-tag'],
]);

/** The spec name of a delimiter or value tag, for messages and logs ("keyword", "job-attributes-tag", "0x5b"). */
export function tagName(tag: number): string {
  return TAG_NAMES.get(tag) ?? `0x${tag.toString(16).padStart(2, '0')}`;
}

// Builders and accessors for IPP attributes and values (pure; no I/O).
// SPDX-License-Identifier: Apache-2.0
import type { GroupTag, IppAttribute, IppGroup, IppMessage, IppValue, OutOfBand, StringSyntax } from './types.js';

/** A keyword value. */
export const keyword = (value: string): IppValue => ({ syntax: 'keyword', value });
export const uri = (value: string): IppValue => ({ syntax: 'uri', value });
export const uriScheme = (value: string): IppValue => ({ syntax: 'uriScheme', value });
export const charset = (value: string): IppValue => ({ syntax: 'charset', value });
export const naturalLanguage = (value: string): IppValue => ({ syntax: 'naturalLanguage', value });
export const mimeMediaType = (value: string): IppValue => ({ syntax: 'mimeMediaType', value });
export const name = (value: string): IppValue => ({ syntax: 'name', value });
export const text = (value: string): IppValue => ({ syntax: 'text', value });
export const integer = (value: number): IppValue => ({ syntax: 'integer', value });
export const enumValue = (value: number): IppValue => ({ syntax: 'enum', value });
export const boolean = (value: boolean): IppValue => ({ syntax: 'boolean', value });
export const rangeOfInteger = (lower: number, upper: number): IppValue => ({ syntax: 'rangeOfInteger', lower, upper });
export const resolution = (x: number, y: number, units: 'dpi' | 'dpcm' = 'dpi'): IppValue => ({
  syntax: 'resolution',
  x,
  y,
  units,
});
export const dateTime = (value: Date, utcOffsetMinutes = 0): IppValue => ({ syntax: 'dateTime', value, utcOffsetMinutes });
export const octetString = (value: Uint8Array): IppValue => ({ syntax: 'octetString', value });
export const outOfBand = (value: OutOfBand): IppValue => ({ syntax: 'out-of-band', value });
export const collection = (members: readonly IppAttribute[]): IppValue => ({ syntax: 'collection', members });

/** An attribute with one or more values. */
export function attr(attrName: string, first: IppValue, ...rest: IppValue[]): IppAttribute {
  return { name: attrName, values: [first, ...rest] };
}

/** An attribute whose values all share one string syntax; an empty list becomes no-value. */
export function strings(attrName: string, syntax: StringSyntax, values: readonly string[]): IppAttribute {
  if (values.length === 0) return { name: attrName, values: [outOfBand('no-value')] };
  return { name: attrName, values: values.map((value) => ({ syntax, value })) };
}

/** An attribute of integers or enums. */
export function integers(attrName: string, syntax: 'integer' | 'enum', values: readonly number[]): IppAttribute {
  if (values.length === 0) return { name: attrName, values: [outOfBand('no-value')] };
  return { name: attrName, values: values.map((value) => ({ syntax, value })) };
}

/** The first attribute called `attrName` in the first group tagged `tag`. */
export function findAttr(msg: IppMessage, tag: GroupTag, attrName: string): IppAttribute | undefined {
  for (const group of msg.groups) {
    if (group.tag !== tag) continue;
    const found = group.attributes.find((a) => a.name === attrName);
    if (found) return found;
  }
  return undefined;
}

/** Every attribute of the first group with `tag` (empty when absent). */
export function groupAttrs(msg: IppMessage, tag: GroupTag): readonly IppAttribute[] {
  return msg.groups.find((g) => g.tag === tag)?.attributes ?? [];
}

/** The string value of a single-valued string-like attribute, else undefined. */
export function stringValue(a: IppAttribute | undefined): string | undefined {
  const v = a?.values[0];
  return v && v.syntax !== 'out-of-band' && 'value' in v && typeof v.value === 'string' ? v.value : undefined;
}

/** The number of a single-valued integer or enum attribute, else undefined. */
export function numberValue(a: IppAttribute | undefined): number | undefined {
  const v = a?.values[0];
  return v && (v.syntax === 'integer' || v.syntax === 'enum') ? v.value : undefined;
}

/** The value of a single-valued boolean attribute, else undefined. */
export function booleanValue(a: IppAttribute | undefined): boolean | undefined {
  const v = a?.values[0];
  return v && v.syntax === 'boolean' ? v.value : undefined;
}

/** A group with the given attributes. */
export function group(tag: GroupTag, attributes: readonly IppAttribute[]): IppGroup {
  return { tag, attributes };
}

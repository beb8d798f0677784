// One error module for the whole firmware: FirmwareError with stable codes, and its subclasses.
// SPDX-License-Identifier: Apache-2.0
import type { IppAttribute } from './ipp/types.js';

/** Every stable error code, with what it means. Codes never change once released. */
export const ERROR_CODES = {
  ERR_IPP_DECODE: 'malformed IPP message',
  ERR_IPP_LIMIT: 'IPP message exceeds a decoder limit',
  ERR_IPP_ENCODE: 'value cannot be encoded',
  ERR_IPP_STATUS: 'request answered with an IPP error status',
  ERR_HTTP_STATUS: 'request answered with an HTTP error status',
  ERR_RASTER_FORMAT: 'document data is not valid for its format',
  ERR_RASTER_LIMIT: 'document exceeds a decoder limit',
  ERR_SNMP_DECODE: 'malformed SNMP message',
  ERR_SNMP_ENCODE: 'SNMP message or value cannot be encoded',
  ERR_TRANSPORT: 'engine transport failed',
  ERR_DRIVER: 'engine driver failed',
  ERR_CONFIG: 'invalid configuration',
  ERR_STATE: 'state directory could not be read or written',
  ERR_USAGE: 'bad command line',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Root of every error the firmware throws on purpose. */
export class FirmwareError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An IPP request that must be answered with `status` (RFC 8011 §4.1.6 keyword). */
export class IppError extends FirmwareError {
  readonly status: string;
  /** names of attributes to return as 'unsupported' in the unsupported-attributes group */
  readonly unsupported: readonly string[];
  /** attributes with the offending values, for the unsupported-attributes group */
  readonly unsupportedAttributes: readonly IppAttribute[];
  constructor(
    status: string,
    message: string,
    options?: { cause?: unknown; unsupported?: readonly string[]; unsupportedAttributes?: readonly IppAttribute[] },
  ) {
    super('ERR_IPP_STATUS', message, options);
    this.status = status;
    this.unsupported = options?.unsupported ?? [];
    this.unsupportedAttributes = options?.unsupportedAttributes ?? [];
  }
}

/** A malformed IPP message found by the codec (maps to HTTP 400 or client-error-bad-request). */
export class IppDecodeError extends FirmwareError {
  /** The 8-byte message header, when it was read before the error (lets a server echo the request-id). */
  readonly header?: { version: { major: number; minor: number }; code: number; requestId: number };
  constructor(
    message: string,
    code: 'ERR_IPP_DECODE' | 'ERR_IPP_LIMIT' = 'ERR_IPP_DECODE',
    header?: { version: { major: number; minor: number }; code: number; requestId: number },
  ) {
    super(code, message);
    if (header) this.header = header;
  }
}

/** An HTTP-level refusal. */
export class HttpError extends FirmwareError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, message: string, headers: Readonly<Record<string, string>> = {}) {
    super('ERR_HTTP_STATUS', message);
    this.status = status;
    this.headers = headers;
  }
}

/** Broken or unsupported document data (job aborted with document-format-error). */
export class RasterError extends FirmwareError {
  constructor(message: string, code: 'ERR_RASTER_FORMAT' | 'ERR_RASTER_LIMIT' = 'ERR_RASTER_FORMAT') {
    super(code, message);
  }
}

/**
 * A malformed SNMP message found by the codec. The agent drops it silently and counts it by `kind` (RFC 3412 §4.2.1):
 * 'badVersion' in snmpInBadVersions, 'parse' in snmpInASNParseErrs (RFC 3418).
 */
export class SnmpDecodeError extends FirmwareError {
  readonly kind: 'parse' | 'badVersion';
  constructor(message: string, kind: 'parse' | 'badVersion' = 'parse') {
    super('ERR_SNMP_DECODE', message);
    this.kind = kind;
  }
}

export type TransportErrorKind = 'canceled' | 'disconnected' | 'timeout' | 'stalled';

/** A transport failure; `bytesAccepted`, when known, says what must never be resent. */
export class TransportError extends FirmwareError {
  readonly kind: TransportErrorKind;
  readonly bytesAccepted: number | undefined;
  constructor(kind: TransportErrorKind, message: string, options?: { cause?: unknown; bytesAccepted?: number }) {
    super('ERR_TRANSPORT', message, options);
    this.kind = kind;
    this.bytesAccepted = options?.bytesAccepted;
  }
}

/** The engine reported a failure. */
export class DriverError extends FirmwareError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_DRIVER', message, options);
  }
}

/** A bad board config or CLI value: one line at startup, exit code 2. */
export class ConfigError extends FirmwareError {
  readonly file: string | undefined;
  readonly pointer: string | undefined;
  constructor(message: string, options?: { file?: string; pointer?: string; cause?: unknown; code?: 'ERR_CONFIG' | 'ERR_USAGE' }) {
    super(options?.code ?? 'ERR_CONFIG', message, options);
    this.file = options?.file;
    this.pointer = options?.pointer;
  }
}

/** The state directory failed (disk full, permissions). */
export class StateError extends FirmwareError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_STATE', message, options);
  }
}

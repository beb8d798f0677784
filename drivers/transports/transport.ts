// The transport contract: how the stack hands bytes to an engine (USB, serial, socket, file, virtual).
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';

export type TransportScheme = 'usb' | 'serial' | 'socket' | 'file' | 'virtual';

/** A device a transport can see. */
export interface DeviceInfo {
  readonly uri: string;
  readonly description: string;
  readonly deviceId?: string;
}

/** USB printer-class port status (GET_PORT_STATUS). */
export interface PortStatus {
  readonly paperEmpty: boolean;
  readonly selected: boolean;
  readonly error: boolean;
}

export interface TransportMetrics {
  readonly bytesWritten: number;
  readonly bytesRead: number;
  readonly writeMs: number;
}

/** A family of ports addressed by one URI scheme. */
export interface Transport {
  readonly scheme: TransportScheme;
  list(signal?: AbortSignal): Promise<DeviceInfo[]>;
  open(uri: URL, options: Readonly<Record<string, unknown>>, log: Logger, signal?: AbortSignal): Promise<TransportPort>;
}

/** One open connection to an engine. One write in flight at a time. */
export interface TransportPort {
  readonly uri: string;
  readonly isOpen: boolean;
  /** bytes per write that keep this link busy */
  readonly preferredChunk: number;
  readonly metrics: TransportMetrics;
  /** aborts with a TransportError when the device goes away */
  readonly disconnected: AbortSignal;
  /** Resolves when every byte was accepted; otherwise rejects with TransportError. */
  write(data: Uint8Array, signal?: AbortSignal): Promise<void>;
  read?(maxBytes: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** wait until queued bytes have left */
  drain(signal?: AbortSignal): Promise<void>;
  /** drop queued bytes (cancel) */
  discard(): Promise<void>;
  deviceId?(): Promise<string | undefined>;
  portStatus?(): Promise<PortStatus>;
  softReset?(): Promise<void>;
  close(): Promise<void>;
}

// The driver contract: capabilities of an engine and the raster life cycle that turns pages into its language.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import type { RasterPageHeader, PwgRasterType } from '../src/raster/types.js';
import type { TransportPort } from './transports/transport.js';

export type PrinterKind = 'document' | 'envelope' | 'label' | 'receipt' | 'photo' | 'postcard' | 'roll';
export type ColorMode = 'bi-level' | 'monochrome' | 'color' | 'auto' | 'auto-monochrome';
export type Sides = 'one-sided' | 'two-sided-long-edge' | 'two-sided-short-edge';
export type IdentifyAction = 'display' | 'flash' | 'sound' | 'speak';

/** What the engine can do; the printer's IPP attributes are built from this plus the board config. */
export interface DriverCapabilities {
  readonly makeAndModel: string;
  /** IEEE 1284 device id, e.g. 'MFG:ippbridge;MDL:Virtual;CMD:PWGRaster;' */
  readonly deviceId: string;
  readonly kind: readonly PrinterKind[];
  /** dpi; the first is the default */
  readonly resolutions: readonly { readonly x: number; readonly y: number }[];
  readonly rasterTypes: readonly PwgRasterType[];
  readonly colorModes: readonly ColorMode[];
  readonly sides: readonly Sides[];
  readonly sheetBack?: 'normal' | 'flipped' | 'rotated' | 'manual-tumble';
  /** PWG 5101.1 media names; `ready` is what is loaded per source */
  readonly media: {
    readonly supported: readonly string[];
    readonly default: string;
    readonly sources: readonly string[];
    readonly types: readonly string[];
    readonly ready: readonly string[];
  };
  /** hundredths of millimetres */
  readonly margins: { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number };
  readonly outputBins: readonly string[];
  /** native PDLs accepted raw, e.g. 'application/vnd.zebra-zpl' */
  readonly passthroughFormats: readonly string[];
  readonly ppm: number;
  readonly ppmColor?: number;
  readonly identifyActions: readonly IdentifyAction[];
}

/** Job options a driver needs (already validated and defaulted by the stack). */
export interface PrintOptions {
  readonly copies: number;
  readonly media: string;
  readonly mediaSource: string | undefined;
  readonly mediaType: string | undefined;
  readonly printColorMode: string;
  readonly printQuality: number;
  readonly resolution: { readonly x: number; readonly y: number };
  readonly sides: string;
  readonly outputBin: string;
  readonly orientation: number;
  /** print-scaling: how an image document is fitted to the media */
  readonly printScaling: string;
  readonly printContentOptimize: string;
  readonly printRenderingIntent: string;
}

export interface JobContext {
  readonly jobId: number;
  readonly jobName: string;
  readonly options: PrintOptions;
  readonly port: TransportPort;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

export interface PageContext extends JobContext {
  readonly page: number;
  readonly header: RasterPageHeader;
}

export type JobOutcome = 'completed' | 'canceled' | 'aborted';

/** A supply as the engine reports it (PWG 5100.13 printer-supply members, RFC 3805 prtMarkerSupplies). */
export interface SupplyStatus {
  /** e.g. 'toner', 'ink', 'wasteToner', 'labels' (RFC 3805 PrtMarkerSuppliesTypeTC names) */
  readonly type: string;
  readonly description: string;
  /** '#000000' style, or 'none' */
  readonly color: string;
  /** percent 0..100, -2 unknown, -3 some remaining */
  readonly level: number;
  readonly lowLevel: number;
}

/** What the engine says about itself right now. */
export interface EngineStatus {
  /** printer-state-reasons keywords with severity suffix if any, e.g. 'media-empty-error' */
  readonly reasons: readonly string[];
  readonly supplies: readonly SupplyStatus[];
  /** media loaded now (media-ready); undefined = as capabilities say */
  readonly mediaReady?: readonly string[];
}

/** A driver: capabilities plus the raster life cycle. `endJob` is always called, even after a failure. */
export interface RasterDriver {
  readonly capabilities: DriverCapabilities;
  startJob(ctx: JobContext): Promise<void>;
  startPage(ctx: PageContext): Promise<void>;
  /** hot path: returns a promise only when it had to flush a band to the port */
  writeLine(ctx: PageContext, y: number, line: Uint8Array): void | Promise<void>;
  endPage(ctx: PageContext): Promise<void>;
  endJob(ctx: JobContext, outcome: JobOutcome): Promise<void>;
  printRaw?(ctx: JobContext, document: AsyncIterable<Uint8Array>, format: string): Promise<void>;
  status?(port: TransportPort | undefined, log: Logger): Promise<EngineStatus>;
  identify?(actions: readonly string[], message: string | undefined, port: TransportPort | undefined): Promise<void>;
}

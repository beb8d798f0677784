// The printer glyph as ONE shape list on a 64x64 grid: rendered as SVG (favicon.svg) and rasterized to the PNG
// printer-icons (icon.ts), so the two can never disagree.
// SPDX-License-Identifier: Apache-2.0

/** A filled convex shape on the 64x64 grid (the rasterizer relies on convexity); colours are `#rrggbb`. */
export type Shape =
  | { readonly kind: 'rect'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly r: number; readonly fill: string }
  | { readonly kind: 'polygon'; readonly points: readonly (readonly [number, number])[]; readonly fill: string };

/** Side of the grid the shapes are drawn on. */
export const ICON_GRID = 64;

const rect = (x: number, y: number, w: number, h: number, fill: string, r = 0): Shape => ({ kind: 'rect', x, y, w, h, r, fill });

/** The printer glyph, painted in order: paper in, body, output slot, printed sheet, status light. */
export const PRINTER_ICON: readonly Shape[] = [
  rect(17, 4, 30, 24, '#8a96a3', 1.5),
  rect(18.5, 5.5, 27, 22, '#ffffff', 1),
  rect(5, 22, 54, 28, '#3c4858', 6),
  rect(12, 40, 40, 4, '#1c232c', 2),
  { kind: 'polygon', points: [[14, 42], [50, 42], [53, 61], [11, 61]], fill: '#8a96a3' },
  { kind: 'polygon', points: [[15.5, 42], [48.5, 42], [51.2, 59.5], [12.8, 59.5]], fill: '#ffffff' },
  rect(20, 47, 24, 2.2, '#6c7a89', 1),
  rect(19.5, 52, 18, 2.2, '#6c7a89', 1),
  rect(45, 28, 8, 4.5, '#28c85a', 2.25),
];

const num = (v: number): string => String(Math.round(v * 100) / 100);

/** The shapes as an SVG document of `size` px (the favicon and the web pages' logo). */
export function shapesToSvg(shapes: readonly Shape[], size: number): string {
  const body = shapes
    .map((s) =>
      s.kind === 'rect'
        ? `<rect x="${num(s.x)}" y="${num(s.y)}" width="${num(s.w)}" height="${num(s.h)}"${s.r > 0 ? ` rx="${num(s.r)}"` : ''} fill="${s.fill}"/>`
        : `<polygon points="${s.points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ')}" fill="${s.fill}"/>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${ICON_GRID} ${ICON_GRID}">${body}</svg>\n`;
}

/** Whether grid point (x, y) lies inside `s`. */
export function shapeContains(s: Shape, x: number, y: number): boolean {
  if (s.kind === 'polygon') {
    // Even-odd ray cast to the right.
    let inside = false;
    const p = s.points;
    for (let i = 0, j = p.length - 1; i < p.length; j = i++) {
      const a = p[i];
      const b = p[j];
      if (a === undefined || b === undefined) continue;
      if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
    }
    return inside;
  }
  if (x < s.x || x > s.x + s.w || y < s.y || y > s.y + s.h) return false;
  const r = Math.min(s.r, s.w / 2, s.h / 2);
  if (r <= 0) return true;
  // Rounded corners: outside the corner circle of the nearest corner square.
  const cx = x < s.x + r ? s.x + r : x > s.x + s.w - r ? s.x + s.w - r : x;
  const cy = y < s.y + r ? s.y + r : y > s.y + s.h - r ? s.y + s.h - r : y;
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The grid-space bounding box of a shape: [x0, y0, x1, y1]. */
export function shapeBounds(s: Shape): [number, number, number, number] {
  if (s.kind === 'rect') return [s.x, s.y, s.x + s.w, s.y + s.h];
  const xs = s.points.map((p) => p[0]);
  const ys = s.points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

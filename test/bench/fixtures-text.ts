// Benchmark fixtures of real text pages: a generated PostScript document (Times paragraphs of made-up words) rendered
// by Ghostscript's pwgraster device at 600 dpi as black_1 and sgray_8 PWG raster, cached in os.tmpdir().
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../support/raster-writer.js';

/** A cached text raster. */
export interface TextRaster {
  readonly path: string;
  readonly bytes: number;
  readonly pages: number;
  readonly type: 'black_1' | 'sgray_8';
  readonly dpi: number;
  readonly description: string;
}

const VERSION = 'v1';
const GS = 'gs';
const SYLLABLES = ['ka', 'lo', 'mer', 'sti', 'van', 'de', 'ru', 'pel', 'to', 'nis', 'qua', 'ber', 'fo', 'lin', 'ta', 'gre', 'mo', 'shu', 'ex', 'ol', 'ri', 'pan', 'cu', 'dor'];

/** A made-up word of one to four syllables. */
function word(rand: () => number): string {
  const n = 1 + Math.floor(rand() * rand() * 4.5);
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)] ?? 'a';
  return w;
}

/** Paragraphs of generated words as PostScript arrays of strings (sentences capitalised, ending in '.'). */
function paragraphs(words: number, seed: number): string[] {
  const rand = seededRandom(seed);
  const out: string[] = [];
  let left = words;
  while (left > 0) {
    const size = Math.min(left, 40 + Math.floor(rand() * 90));
    const list: string[] = [];
    let sentence = 0;
    for (let i = 0; i < size; i++) {
      let w = word(rand);
      if (sentence === 0) w = w.charAt(0).toUpperCase() + w.slice(1);
      sentence++;
      const isLast = i === size - 1 || (sentence > 6 && rand() < 0.15);
      if (isLast) {
        w += '.';
        sentence = 0;
      } else if (rand() < 0.06) w += ',';
      list.push(`(${w})`);
    }
    out.push(`[${list.join(' ')}] para`);
    left -= size;
  }
  return out;
}

/**
 * A PostScript program that sets `pages` Letter pages of justified-free Times text with a bold heading and a folio;
 * PostScript does the line breaking (stringwidth) and stops after exactly `pages` pages.
 */
export function textDocumentPs(pages: number, seed = 7): string {
  const body = paragraphs(pages * 900, seed);
  return `%!PS-Adobe-3.0
%%Pages: ${pages}
%%EndComments
/LM 72 def /RM 540 def /TOP 700 def /BOT 80 def /LEAD 13 def
/Body /Times-Roman findfont 10.5 scalefont def
/Head /Times-Bold findfont 16 scalefont def
/Foot /Times-Italic findfont 9 scalefont def
/pageno 0 def
/newpage {
  /pageno pageno 1 add def
  Head setfont LM 730 moveto (Section ) show pageno 3 string cvs show
  Foot setfont 300 50 moveto pageno 3 string cvs show
  Body setfont /y TOP def LM y moveto
} def
/endpage { showpage pageno ${pages} ge { stop } if newpage } def
/nl { /y y LEAD sub def y BOT lt { endpage } { LM y moveto } ifelse } def
/word { dup stringwidth pop currentpoint pop add RM gt { nl } if show ( ) show } def
/para { ( ) show { word } forall nl ( ) show nl } def
{
newpage
${body.join('\n')}
endpage
} stopped pop
%%EOF
`;
}

/** Ghostscript arguments for 600 dpi pwgraster output of the given type. */
function gsArgs(type: TextRaster['type'], dpi: number, out: string, input: string): string[] {
  const colour = type === 'black_1' ? ['-dcupsColorSpace=3', '-dcupsBitsPerColor=1'] : ['-dcupsColorSpace=18', '-dcupsBitsPerColor=8', '-dTextAlphaBits=4', '-dGraphicsAlphaBits=4'];
  return ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pwgraster', `-r${dpi}`, ...colour, '-sPAPERSIZE=letter', `-sOutputFile=${out}`, input];
}

/** True when Ghostscript runs. */
export function hasGhostscript(): boolean {
  const r = spawnSync(GS, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0;
}

/** The text raster (rendered by Ghostscript on first use, then cached); throws when gs is missing or fails. */
export function textRaster(type: TextRaster['type'], pages = 10, dpi = 600): TextRaster {
  const path = join(tmpdir(), `ippbridge-bench-text-${VERSION}-${type}-${dpi}-${pages}p.pwg`);
  const description = `${pages} Letter pages of Times text, ${dpi} dpi ${type}, rendered by Ghostscript pwgraster`;
  if (!existsSync(path)) {
    const ps = `${path}.${process.pid}.ps`;
    const work = `${path}.tmp-${process.pid}`;
    writeFileSync(ps, textDocumentPs(pages));
    try {
      const r = spawnSync(GS, gsArgs(type, dpi, work, ps), { encoding: 'utf8', timeout: 300_000 });
      if (r.error !== undefined) throw new Error(`${GS}: ${r.error.message}`);
      if (r.status !== 0) throw new Error(`${GS} exited with ${r.status}: ${r.stderr.slice(0, 400)}`);
      renameSync(work, path);
    } finally {
      rmSync(ps, { force: true });
      rmSync(work, { force: true });
    }
  }
  return { path, bytes: statSync(path).size, pages, type, dpi, description };
}

// Turns a WebAssembly text module (.wat) into a TypeScript module holding its binary as base64, so the build needs
// no assembler and dist/ no extra files: `npm run wasm` regenerates every embedded module with wat2wasm (Debian's
// wabt); test/drivers/languages/pcl-plane-wasm.test.ts checks the embedded bytes are the assembled source's.
// SPDX-License-Identifier: Apache-2.0
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The .wat sources and the TypeScript modules generated from them, relative to the project root. */
export const EMBEDDED_WASM: readonly { readonly wat: string; readonly ts: string; readonly name: string }[] = [
  { wat: 'drivers/languages/pcl-rows.wat', ts: 'drivers/languages/pcl-rows-wasm.ts', name: 'PCL_ROWS_WASM' },
];

/** Assemble a .wat file with wat2wasm (throws when the tool is missing or the source is wrong). */
export function assemble(watPath: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'ippbridge-wasm-'));
  try {
    const out = join(dir, 'module.wasm');
    execFileSync('wat2wasm', [watPath, '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The TypeScript module text embedding `wasm` (assembled from `watFile`) as the base64 constant `name`. */
export function embeddedSource(wasm: Uint8Array, watFile: string, name: string): string {
  const b64 = Buffer.from(wasm).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 100) lines.push(`  '${b64.slice(i, i + 100)}'`);
  return [
    `// Generated from ${basename(watFile)} by \`npm run wasm\` (test/tools/embed-wasm.ts); do not edit.`,
    '// SPDX-License-Identifier: Apache-2.0',
    '',
    `/** The WebAssembly binary of ${basename(watFile)}, base64. */`,
    `export const ${name} =`,
    `${lines.join(' +\n')};`,
    '',
  ].join('\n');
}

/** The project root: the nearest folder above this file (test/tools or dist/test/tools) with a package.json. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = projectRoot();
  for (const m of EMBEDDED_WASM) {
    writeFileSync(join(root, m.ts), embeddedSource(assemble(join(root, m.wat)), m.wat, m.name));
    console.log(`${m.wat} -> ${m.ts}`);
  }
}

// The layers only import downwards (DESIGN.md): emulator/ knows nothing of the adapter, the
// extension or VS Code, and adapter/ knows nothing of the extension or VS Code. The rule lives
// in eslint.config.js; this suite fails if the rule is weakened or removed, and if the real
// tree breaks it.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);

function eslint(): ESLint {
  return new ESLint({ cwd: root, errorOnUnmatchedPattern: false });
}

/**
 * Lints `code` as if it were the file at `relPath` (inside the real tree, so the real config
 * applies to it) without writing it: a probe file left behind by a killed run would break the
 * build. Returns the boundary violations as "line:rule".
 */
async function boundaryErrors(relPath: string, code: string): Promise<string[]> {
  const [result] = await eslint().lintText(code, { filePath: join(root, relPath) });
  if (result === undefined) throw new Error('ESLint returned no result');
  // A probe that ESLint ignores or cannot parse would pass vacuously.
  const fatal = result.messages.filter((m) => m.fatal === true || m.ruleId === null);
  expect(fatal.map((m) => m.message)).toEqual([]);
  return result.messages
    .filter((m) => m.severity === 2 && m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId))
    .map((m) => `${m.line}:${m.ruleId ?? ''}`);
}

describe('import boundaries (eslint.config.js)', () => {
  it('stops emulator/ from importing adapter/, extension/, vscode and @vscode/*', async () => {
    const code = [
      "import { x } from '../adapter/x.js';",
      "import * as vscode from 'vscode';",
      "import { DebugSession } from '@vscode/debugadapter';",
      "export { y } from '../extension/y.js';",
      "import type { Z } from '../adapter/z.js';",
      "const later = import('../adapter/later.js');",
      "const api = import('vscode');",
      'export { x, vscode, DebugSession, later, api };',
      'export type { Z };',
    ].join('\n');
    expect(await boundaryErrors('emulator/boundary-probe.ts', code)).toEqual([
      '1:no-restricted-imports',
      '2:no-restricted-imports',
      '3:no-restricted-imports',
      '4:no-restricted-imports',
      '5:no-restricted-imports',
      '6:no-restricted-syntax',
      '7:no-restricted-syntax',
    ]);
  });

  it('applies at any depth inside emulator/', async () => {
    const code = "import { x } from '../../adapter/x.js';\nexport { x };\n";
    expect(await boundaryErrors('emulator/cpu/ops/boundary-probe.ts', code)).toEqual(['1:no-restricted-imports']);
  });

  it('lets emulator/ import its own modules and Node built-ins', async () => {
    const code = [
      "import { PhysicalMemory } from './memory/physical.js';",
      "import { parseElf32 } from '../loader/elf.js';",
      "import { readFileSync } from 'node:fs';",
      'export { PhysicalMemory, parseElf32, readFileSync };',
    ].join('\n');
    expect(await boundaryErrors('emulator/boundary-probe.ts', code)).toEqual([]);
  });

  it('stops adapter/ from importing extension/ and vscode, but not emulator/ or @vscode/*', async () => {
    const code = [
      "import { Machine } from '../emulator/machine.js';",
      "import { DebugSession } from '@vscode/debugadapter';",
      "import { view } from '../extension/views/idt.js';",
      "import * as vscode from 'vscode';",
      'export { Machine, DebugSession, view, vscode };',
    ].join('\n');
    expect(await boundaryErrors('adapter/boundary-probe.ts', code)).toEqual([
      '3:no-restricted-imports',
      '4:no-restricted-imports',
    ]);
  });

  it('lets extension/ import vscode (it is the top layer)', async () => {
    const code = "import * as vscode from 'vscode';\nexport { vscode };\n";
    expect(await boundaryErrors('extension/boundary-probe.ts', code)).toEqual([]);
  });

  it('holds for the real emulator/, adapter/ and extension/ trees', async () => {
    const layers = ['emulator', 'adapter', 'extension'].filter((d) => existsSync(join(root, d)));
    const results = await eslint().lintFiles(layers);
    // The emulator always has code; an empty result would mean the config matched nothing.
    expect(results.some((r) => r.filePath.startsWith(join(root, 'emulator')))).toBe(true);
    const problems = results.flatMap((r) =>
      r.messages
        .filter((m) => m.fatal === true || (m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId)))
        .map((m) => `${r.filePath.slice(root.length)}:${m.line}: ${m.message}`),
    );
    expect(problems).toEqual([]);
  });
});

#!/usr/bin/env node
// The `ringside` command: a thin launcher for the compiled headless CLI (out/emulator/cli.js).
// It checks for the file instead of catching a failed import, so that an error inside the CLI
// itself is reported as that error and not as "not built".
import { existsSync } from 'node:fs';

const cli = new URL('../out/emulator/cli.js', import.meta.url);

if (existsSync(cli)) {
  await import(cli.href);
} else {
  process.stderr.write('ringside: the CLI is not built yet; run npm run build\n');
  process.exit(1);
}

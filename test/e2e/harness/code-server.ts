// A private code-server (the real VS Code workbench, served to a browser) for one test run: fresh
// user data and extensions folders in a temporary directory, the .vsix installed there, bound to
// a free port on 127.0.0.1, in its own process group so that stopping it also stops the
// extension hosts it forks.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CODE_SERVER, NODE24, SETTINGS } from './layout.js';

export interface CodeServer {
  /** The workbench URL with `folder` open. */
  readonly url: string;
  /** code-server's own output so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once `url` answers, rejects when `child` exits first or `ms` pass. */
async function waitUntilServing(url: string, child: ChildProcess, ms: number, log: () => string): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `code-server exited (${signal ?? code}) during start-up`));
  const deadline = Date.now() + ms;
  for (;;) {
    if (exited) throw new Error(`${exited}:\n${log()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer ${url} within ${ms / 1000} s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts code-server with `vsix` installed and `folder` open. `settings` are added to the user
 * settings of scripts/vscode/settings.json (the quiet workbench `npm start` uses too).
 */
export async function startCodeServer(vsix: string, folder: string, settings: Record<string, unknown> = {}): Promise<CodeServer> {
  const root = mkdtempSync(join(tmpdir(), 'ringside-e2e-'));
  const userData = join(root, 'user-data');
  const extensions = join(root, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions);
  const base = JSON.parse(readFileSync(SETTINGS, 'utf8')) as Record<string, unknown>;
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...base, ...settings }, null, 2));
  const port = await freePort();
  const config = join(root, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = {
    ...process.env,
    PATH: `${dirname(NODE24)}:${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: join(root, 'xdg'), XDG_DATA_HOME: join(root, 'xdg'), XDG_CACHE_HOME: join(root, 'xdg'),
  };
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];

  const install = spawnSync(CODE_SERVER, [...common, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`code-server --install-extension ${vsix} failed (${install.status ?? install.signal}):\n${install.stdout}${install.stderr}`);
  }

  const logFile = join(root, 'code-server.log');
  const logFd = openSync(logFile, 'w');
  const child = spawn(CODE_SERVER, [
    ...common, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--reconnection-grace-time', '10', folder,
  ], { env, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const log = (): string => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '(code-server log already removed)';
    }
  };
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
      if (!killed) process.kill(-child.pid!, 'SIGKILL');
    }
    // Extension hosts are in the same group and may outlive the main process by a moment.
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // The group is gone: nothing left to stop.
    }
    rmSync(root, { recursive: true, force: true });
  };

  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(`${origin}/healthz`, child, 60_000, log);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `${origin}/?folder=${encodeURIComponent(folder)}`, log, stop };
}

// The real server (`tsx server/src/index.ts`) as a child process on loopback: a free port, a
// fresh environment, output kept in a bounded buffer, a wait for /health, and a kill of the whole
// process group (tsx runs node as a child). Used by the durability harness and the benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const repoRoot = resolve(import.meta.dirname, '../..');
const tsx = resolve(repoRoot, 'node_modules/.bin/tsx');
/** Loopback-only listening and the optional clock offset (see preload.mjs). */
const preload = `--import ${pathToFileURL(resolve(import.meta.dirname, 'preload.mjs')).href}`;

/** Every child started here that has not exited yet, so callers can always kill what is left. */
const running = new Set<ChildProcess>();

/** A TCP port nobody listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') return fail(new Error('no port'));
      server.close(() => done(address.port));
    });
  });
}

/** The parent's environment without anything that would change what the server talks to. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['PORT', 'PUBLIC_URL', 'DATABASE_URL', 'DATABASE_PATH', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'MAIL_FROM', 'RESEND_API_KEY', 'RESEND_BASE_URL', 'TRUST_PROXY', 'NODE_OPTIONS']) {
    delete env[name];
  }
  return { ...env, NODE_ENV: 'development', DOORSTEP_DEMO: '0', ...extra };
}

export interface ChildOptions {
  /** Extra environment (merged over `childEnv`). */
  env?: Record<string, string>;
  /** Bytes of stdout+stderr kept for error messages (the tail). */
  keepOutput?: number;
  /** More node flags for the child (the loopback preload is always there). */
  nodeOptions?: string;
  /**
   * Send stdout and stderr to this file instead of a pipe. A pipe the parent is slow to drain
   * (busy running autocannon) blocks a child that logs — the dev mailbox prints every email.
   */
  logFile?: string;
}

export interface Child {
  process: ChildProcess;
  /** The tail of what the process printed. */
  output(): string;
  /** SIGKILL to the whole process group; resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `tsx <script>` in its own process group with output captured (bounded). */
export function startTsx(script: string, args: string[], options: ChildOptions = {}): Child {
  const env = childEnv(options.env ?? {});
  env['NODE_OPTIONS'] = [preload, options.nodeOptions].filter(Boolean).join(' ');
  const keep = options.keepOutput ?? 64 * 1024;
  let out = '';
  let child: ChildProcess;
  if (options.logFile) {
    const fd = openSync(options.logFile, 'a');
    child = spawn(tsx, [script, ...args], { cwd: repoRoot, env, stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
  } else {
    child = spawn(tsx, [script, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const append = (chunk: string) => {
      out += chunk;
      if (out.length > keep * 2) out = out.slice(-keep);
    };
    child.stdout!.setEncoding('utf8').on('data', append);
    child.stderr!.setEncoding('utf8').on('data', append);
  }
  running.add(child);
  const logFile = options.logFile;
  const output = () => {
    if (!logFile) return out.slice(-keep);
    try {
      return readFileSync(logFile, 'utf8').slice(-keep);
    } catch {
      return '';
    }
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    });
  });
  return {
    process: child,
    output,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      killGroup(child, signal);
      await exited;
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // its own process group (spawned detached): tsx and node
  } catch {
    child.kill(signal);
  }
}

/** Kills every child this module started that is still running (for finally blocks and exit hooks). */
export async function killAll(): Promise<void> {
  const children = [...running];
  for (const child of children) killGroup(child, 'SIGKILL');
  await Promise.all(children.map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((r) => child.once('exit', r)))));
}

/** Kills leftovers synchronously when this process ends for any reason. */
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

export interface ServerOptions {
  /** The SQLite file, unless `env` names a DATABASE_URL. */
  dbPath?: string;
  port: number;
  env?: Record<string, string>;
  nodeOptions?: string;
  logFile?: string;
  /** How long to wait for /health. */
  timeoutMs?: number;
}

export interface RunningServer extends Child {
  base: string;
  port: number;
}

/** Starts Doorstep (`tsx server/src/index.ts`) on 127.0.0.1:port and waits until /health answers. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const child = startTsx('server/src/index.ts', [], {
    env: { ...(options.dbPath ? { DATABASE_PATH: options.dbPath } : {}), PORT: String(options.port), PUBLIC_URL: `http://127.0.0.1:${options.port}`, ...options.env },
    ...(options.nodeOptions ? { nodeOptions: options.nodeOptions } : {}),
    ...(options.logFile ? { logFile: options.logFile } : {}),
  });
  const base = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHealth(base, child, options.timeoutMs ?? 20_000);
  } catch (error) {
    await child.kill();
    throw error;
  }
  return { ...child, base, port: options.port };
}

export async function waitForHealth(base: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`the server exited (${child.process.exitCode ?? child.process.signalCode}) before answering /health:\n${child.output()}`);
    }
    const res = await fetch(`${base}/health`).catch(() => undefined);
    if (res) {
      await res.body?.cancel();
      if (res.status === 200) return;
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer /health within ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

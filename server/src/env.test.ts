// SPEC §9: the environment is validated once at start; every bad value names its variable.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

const root = resolve(import.meta.dirname, '../..');

function problemsOf(source: Record<string, string | undefined>): string[] {
  const result = parseEnv(source);
  if (result.ok) throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
  return result.problems;
}

describe('parseEnv', () => {
  it('fills in the defaults from an empty environment', () => {
    const result = parseEnv({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env.PORT).toBe(8787);
    expect(result.env.DATABASE_PATH).toBe('./data/doorstep.db');
    expect(result.env.PUBLIC_URL).toBe('http://localhost:8787');
    expect(result.env.NODE_ENV).toBe('development');
    expect(result.env.dev).toBe(true);
    expect(result.env.DOORSTEP_DEMO).toBe('1');
    expect(result.env.DATABASE_URL).toBeUndefined();
    expect(result.env.STRIPE_SECRET_KEY).toBeUndefined();
  });

  it('derives PUBLIC_URL from PORT when PUBLIC_URL is unset', () => {
    const result = parseEnv({ PORT: '3000' });
    expect(result).toMatchObject({ ok: true, env: { PORT: 3000, PUBLIC_URL: 'http://localhost:3000' } });
  });

  it('strips trailing slashes from PUBLIC_URL', () => {
    expect(parseEnv({ PUBLIC_URL: 'https://portal.example.com/' })).toMatchObject({ ok: true, env: { PUBLIC_URL: 'https://portal.example.com' } });
    expect(parseEnv({ PUBLIC_URL: 'https://example.com/portal//' })).toMatchObject({ ok: true, env: { PUBLIC_URL: 'https://example.com/portal' } });
  });

  it('accepts a complete production configuration', () => {
    const result = parseEnv({
      NODE_ENV: 'production',
      PORT: '8080',
      PUBLIC_URL: 'https://portal.acme.com',
      DATABASE_PATH: '/var/lib/doorstep/doorstep.db',
      DATABASE_URL: '',
      STRIPE_SECRET_KEY: 'sk_live_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_connect',
      DOORSTEP_DEMO: '0',
    });
    expect(result).toMatchObject({
      ok: true,
      env: { NODE_ENV: 'production', dev: false, PORT: 8080, PUBLIC_URL: 'https://portal.acme.com', DOORSTEP_DEMO: '0', STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_connect' },
    });
    // An empty variable means unset, as compose files pass them through.
    expect(result.ok && result.env.DATABASE_URL).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ PORT: '', PUBLIC_URL: ' ', MAIL_FROM: '' })).toMatchObject({
      ok: true,
      env: { PORT: 8787, PUBLIC_URL: 'http://localhost:8787', MAIL_FROM: 'Doorstep <portal@localhost>' },
    });
  });

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '0' }],
    ['PORT', { PORT: '80.5' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://x' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'not a url' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://user:pw@db/doorstep' }],
    ['STRIPE_SECRET_KEY', { STRIPE_SECRET_KEY: 'bogus', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }],
    ['STRIPE_WEBHOOK_SECRET', { STRIPE_SECRET_KEY: 'sk_test_abc' }],
    ['STRIPE_WEBHOOK_SECRET', { STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'nope' }],
    ['STRIPE_CONNECT_WEBHOOK_SECRET', { STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc', STRIPE_CONNECT_WEBHOOK_SECRET: 'nope' }],
    ['STRIPE_CONNECT_WEBHOOK_SECRET', { STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc', STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_abc' }],
    ['DOORSTEP_DEMO', { DOORSTEP_DEMO: '2' }],
    ['PUBLIC_URL', { NODE_ENV: 'production' }],
    ['NODE_ENV', { NODE_ENV: 'prod' }],
    ['MAIL_FROM', { MAIL_FROM: 'not an address' }],
  ] as const)('rejects a bad %s: %j', (variable, source) => {
    const problems = problemsOf(source);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.startsWith(`${variable} `), problems[0]).toBe(true);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'abc', PUBLIC_URL: 'ftp://x', DOORSTEP_DEMO: '2' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['DOORSTEP_DEMO', 'PORT', 'PUBLIC_URL']);
  });
});

describe('the server with a bad environment', () => {
  it('exits non-zero and names PORT on stderr', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: 'abc', DOORSTEP_DEMO: '0' };
    for (const name of ['PUBLIC_URL', 'DATABASE_URL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_CONNECT_WEBHOOK_SECRET', 'MAIL_FROM']) delete env[name];
    // Never reaches the database; point it at a path that would fail loudly if it did.
    env.DATABASE_PATH = '/nonexistent-doorstep-dir/never.db';
    const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['server/src/index.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    clearTimeout(timer);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull(); // exited by itself, not killed by the timeout
    expect(stderr).toMatch(/^\s+- PORT /m);
  });
});

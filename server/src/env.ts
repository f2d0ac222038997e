// The environment of SPEC §9, validated once at start: a bad value names the variable and why.
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://portal.example.com' })
  .transform((v) => v.replace(/\/+$/, ''));

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce
      .number({ message: 'must be a port number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 65535')
      .max(65535, 'must be between 1 and 65535')
      .default(8787),
    PUBLIC_URL: httpUrl.optional(),
    DATABASE_PATH: z.string().trim().min(1, 'must not be empty').default('./data/doorstep.db'),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave it unset to use the SQLite file)')
        .optional(),
    ),
    RESEND_API_KEY: optionalString,
    MAIL_FROM: z
      .string()
      .trim()
      .regex(/^(.+<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, 'must be an address such as "Acme <portal@acme.com>"')
      .default('Doorstep <portal@localhost>'),
    STRIPE_SECRET_KEY: optionalString.pipe(
      z.string().regex(/^(sk|rk)_(test|live)_/, 'must be a Stripe secret key (sk_test_… or sk_live_…)').optional(),
    ),
    STRIPE_WEBHOOK_SECRET: optionalString.pipe(
      z.string().regex(/^whsec_/, 'must be a webhook signing secret (whsec_…)').optional(),
    ),
    /** Stripe Connect: the secret of the Connect endpoint, which gets connected accounts' events. */
    STRIPE_CONNECT_WEBHOOK_SECRET: optionalString.pipe(
      z.string().regex(/^whsec_/, 'must be a webhook signing secret (whsec_…)').optional(),
    ),
    /** Development without STRIPE_SECRET_KEY: the port of the local Stripe emulator started in-process. */
    STRIPE_EMULATOR_PORT: z.coerce
      .number({ message: 'must be a port number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 65535')
      .max(65535, 'must be between 1 and 65535')
      .default(12111),
    /** Development: use a Stripe emulator already running there (demo/stripe-emulator/main.ts) instead. */
    STRIPE_EMULATOR_URL: httpUrl.optional(),
    DOORSTEP_DEMO: z.enum(['0', '1'], { message: 'must be 0 or 1' }).default('1'),
    DEMO_SITE_PORT: z.coerce
      .number({ message: 'must be a port number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 65535')
      .max(65535, 'must be between 1 and 65535')
      .default(8788),
    TRUST_PROXY: z.enum(['0', '1'], { message: 'must be 0 or 1' }).default('0'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.PUBLIC_URL) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required in production' });
    }
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_WEBHOOK_SECRET'], message: 'is required when STRIPE_SECRET_KEY is set' });
    }
    if (env.STRIPE_CONNECT_WEBHOOK_SECRET && env.STRIPE_CONNECT_WEBHOOK_SECRET === env.STRIPE_WEBHOOK_SECRET) {
      // Stripe gives every endpoint its own secret; the same one twice is a pasting mistake.
      ctx.addIssue({ code: 'custom', path: ['STRIPE_CONNECT_WEBHOOK_SECRET'], message: "must be the Connect endpoint's own secret, not STRIPE_WEBHOOK_SECRET" });
    }
    if (env.STRIPE_EMULATOR_URL && (env.NODE_ENV === 'production' || env.STRIPE_SECRET_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_EMULATOR_URL'], message: 'is for development without STRIPE_SECRET_KEY only: production takes payments through Stripe' });
    }
    if (env.STRIPE_EMULATOR_PORT === env.PORT) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_EMULATOR_PORT'], message: 'must differ from PORT' });
    }
  });

export type Env = z.output<typeof envSchema> & { PUBLIC_URL: string; dev: boolean };

export type EnvResult = { ok: true; env: Env } | { ok: false; problems: string[] };

export function parseEnv(source: Record<string, string | undefined>): EnvResult {
  // An empty variable (as compose files and shells pass through) means unset.
  const defined = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = envSchema.safeParse(defined);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'environment'} ${issue.message}`),
    };
  }
  const env = result.data;
  return {
    ok: true,
    env: {
      ...env,
      PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
      dev: env.NODE_ENV !== 'production',
    },
  };
}

/** Parses process.env, or prints every problem and exits non-zero. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = parseEnv(source);
  if (result.ok) return result.env;
  console.error('Doorstep cannot start: the configuration is not valid.');
  for (const problem of result.problems) console.error(`  - ${problem}`);
  process.exit(1);
}

// The operator's command line: `npm run doorstep -- <command> …`. Prints JSON on success and a
// JSON error on stderr (exit 1) otherwise, so scripts can rely on it.
import { parseArgs } from 'node:util';
import { loadEnv } from './env';
import { systemClock } from './lib/clock';
import { AppError } from './lib/errors';
import { addStaff, createApiKey, createBusiness, revokeApiKey } from './services/businesses';
import type { Deps } from './services/deps';
import { presentSettings } from './services/present';
import { openStore } from './store/open';
import { SqliteStore } from './store/sqlite';
import { backupDatabase } from './store/sqlite/backup';
import type { Store } from './store/types';

const USAGE = `Usage: npm run doorstep -- <command>

  create-business --id <slug> --name <name> [--portal-url <url>] [--origin <url>]… [--owner-email <email>]
  create-api-key --business <id> [--name <label>]
  revoke-api-key <prefix>
  add-staff --business <id> --email <email> [--owner]
  backup <file>

The database is PostgreSQL when DATABASE_URL is set, otherwise the SQLite file DATABASE_PATH
(default ./data/doorstep.db). On PostgreSQL, back up with pg_dump instead of backup.`;

const COMMANDS = ['create-business', 'create-api-key', 'revoke-api-key', 'add-staff', 'backup'];

function parse(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || !COMMANDS.includes(command)) {
    throw new AppError(400, 'unknown_command', command ? `Unknown command "${command}".\n\n${USAGE}` : USAGE);
  }
  try {
    return { command, ...parseOptions(rest) };
  } catch (error) {
    throw new AppError(400, 'invalid_arguments', `${(error as Error).message}\n\n${USAGE}`);
  }
}

function parseOptions(rest: string[]) {
  return parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      'portal-url': { type: 'string' },
      origin: { type: 'string', multiple: true },
      'owner-email': { type: 'string' },
      business: { type: 'string' },
      email: { type: 'string' },
      owner: { type: 'boolean' },
    },
  });
}

async function run({ command, values, positionals }: ReturnType<typeof parse>, deps: Deps, store: Store): Promise<unknown> {
  const need = (value: string | undefined, flag: string) => {
    if (!value) throw new AppError(400, 'invalid_arguments', `${command} needs ${flag}.\n\n${USAGE}`);
    return value;
  };
  switch (command) {
    case 'create-business': {
      const created = await createBusiness(deps, {
        id: need(values.id, '--id'),
        name: need(values.name, '--name'),
        portalUrl: values['portal-url'],
        origins: values.origin ?? [],
        ownerEmail: values['owner-email'],
      });
      return { business: presentSettings(created.business, deps.paymentsConfigured), apiKey: created.apiKey };
    }
    case 'create-api-key':
      return createApiKey(deps, need(values.business, '--business'), values.name);
    case 'revoke-api-key':
      return revokeApiKey(deps, need(positionals[0], 'the key prefix'));
    case 'add-staff':
      return addStaff(deps, need(values.business, '--business'), need(values.email, '--email'), values.owner ? 'owner' : 'staff');
    case 'backup':
      // PostgreSQL's store refuses, pointing to pg_dump.
      if (!(store instanceof SqliteStore)) return store.backup(positionals[0] ?? '');
      return backupDatabase(store, need(positionals[0], 'a destination file'));
    default:
      throw new AppError(400, 'unknown_command', USAGE);
  }
}

function fail(error: unknown): void {
  const { code, message } = error instanceof AppError ? error : { code: 'error', message: (error as Error).message };
  console.error(JSON.stringify({ error: { code, message } }, null, 2));
  process.exitCode = 1;
}

const env = loadEnv();
let args: ReturnType<typeof parse> | undefined;
try {
  args = parse(process.argv.slice(2));
} catch (error) {
  fail(error);
}
// Opened only for a well-formed command, so a typo never creates an empty database.
const opened = args ? await openStore(env).catch(fail) : undefined;
if (args && opened) {
  const { store } = opened;
  const deps: Deps = { store, clock: systemClock, publicUrl: env.PUBLIC_URL, paymentsConfigured: Boolean(env.STRIPE_SECRET_KEY) || env.dev };
  try {
    console.log(JSON.stringify(await run(args, deps, store), null, 2));
  } catch (error) {
    fail(error);
  } finally {
    await store.close();
  }
}

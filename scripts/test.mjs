// `npm test`: build, run vitest and web-test-runner, and end with one line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const VITEST_JSON = '.tmp/vitest.json';
const WTR_JSON = '.tmp/wtr.json';

function run(command, args) {
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  return status ?? 1; // null when killed by a signal
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A suite's counts; a run that failed without saying which test failed counts as one failure. */
function tally(name, exitCode, counts) {
  if (!counts) {
    console.error(`${name}: no results file was written`);
    return { name, passed: 0, failed: 1, skipped: 0 };
  }
  if (exitCode !== 0 && counts.failed === 0) {
    console.error(`${name}: exited with code ${exitCode} but reported no failing test`);
    return { name, ...counts, failed: 1 };
  }
  return { name, ...counts };
}

// Results from an earlier run must never count for this one.
rmSync(VITEST_JSON, { force: true });
rmSync(WTR_JSON, { force: true });

if (run('npm', ['run', 'build']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const vitestCode = run('npx', ['vitest', 'run']);
const wtrCode = run('npx', ['wtr']);

const vitestJson = readJson(VITEST_JSON);
const wtrJson = readJson(WTR_JSON);
const suites = [
  tally(
    // With TEST_DATABASE_URL the server suite runs twice: the `sqlite` and `postgres` projects.
    process.env.TEST_DATABASE_URL ? 'vitest (SQLite and PostgreSQL)' : 'vitest (SQLite)',
    vitestCode,
    vitestJson && {
      passed: vitestJson.numPassedTests ?? 0,
      failed: vitestJson.numFailedTests ?? 0,
      skipped: (vitestJson.numPendingTests ?? 0) + (vitestJson.numTodoTests ?? 0),
    },
  ),
  tally(
    'web-test-runner',
    wtrCode,
    wtrJson && { passed: wtrJson.passed ?? 0, failed: wtrJson.failed ?? 0, skipped: wtrJson.skipped ?? 0 },
  ),
];

console.log(suites.map((s) => `${s.name}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`).join('; '));
const passed = suites.reduce((sum, s) => sum + s.passed, 0);
const failed = suites.reduce((sum, s) => sum + s.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

// `npm run test:durability -- [--seeds 1,2,3 | --rounds N --seed S] [--writes N] [--concurrency N]
//   [--duration SECONDS] [--outbox-wait SECONDS] [--wait-for-claims] [--keep]`
// Runs the crash-durability round of harness.ts once per seed and prints what each proved.
// Exits 1 when any round fails; the failed round's database directory is kept for a look.
import { parseArgs } from 'node:util';
import { defaultOptions, runRound, type RoundReport } from './harness';
import { killAll } from '../server-process';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    rounds: { type: 'string', default: '3' },
    writes: { type: 'string', default: String(defaultOptions.writes) },
    concurrency: { type: 'string', default: String(defaultOptions.concurrency) },
    duration: { type: 'string', default: String(defaultOptions.maxLoadMs / 1000) },
    'outbox-wait': { type: 'string', default: String(defaultOptions.outboxWaitMs / 1000) },
    'wait-for-claims': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run test:durability -- [options]
  --seeds 1,2,3        the PRNG seeds to run (one round each); or:
  --rounds N --seed S  N rounds with seeds S, S+1, … (default 3 rounds from a time-based seed)
  --writes N           writes attempted per round at most (default ${defaultOptions.writes})
  --concurrency N      requests in flight (default ${defaultOptions.concurrency})
  --duration SECONDS   kill no later than this far into the load (default ${defaultOptions.maxLoadMs / 1000})
  --outbox-wait SECONDS  how long the restarted outbox gets to drain (default ${defaultOptions.outboxWaitMs / 1000})
  --wait-for-claims    wait out the killed process's 60 s outbox claims in real time instead of
                       restarting with the clock that far ahead
  --keep               keep every round's database directory`);
  process.exit(0);
}

const positive = (name: string, value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive whole number`);
    process.exit(2);
  }
  return n;
};

const seeds = values.seeds
  ? values.seeds.split(',').map((s) => positive('seeds', s.trim()))
  : Array.from({ length: positive('rounds', values.rounds) }, (_, i) => positive('seed', values.seed) + i);

process.on('SIGINT', () => void killAll().then(() => process.exit(130)));

const reports: RoundReport[] = [];
for (const seed of seeds) {
  const report = await runRound({
    ...defaultOptions,
    seed,
    writes: positive('writes', values.writes),
    concurrency: positive('concurrency', values.concurrency),
    maxLoadMs: positive('duration', values.duration) * 1000,
    outboxWaitMs: positive('outbox-wait', values['outbox-wait']) * 1000,
    claimLapse: values['wait-for-claims'] ? 'wait' : 'shift',
    keepFiles: values.keep,
    log: (line) => console.log(`  ${line}`),
  });
  reports.push(report);
  const f = report.figures;
  console.log(
    `${report.ok ? 'PASS' : 'FAIL'} seed ${seed}: ${f.acknowledgedTotal} acknowledged writes (${Object.entries(f.acknowledged)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}${f.acknowledgedWithoutBody ? `; ${f.acknowledgedWithoutBody} with the body cut off` : ''}) at ~${f.writesPerSecond}/s, SIGKILL after ${f.killedAfterAcks} acks / ${f.loadMs} ms with ${f.unanswered} unanswered (${f.unansweredButCommitted} of them committed); restart ${f.restartMs} ms; outbox ${f.outboxRows} rows (${f.pendingAtKill} unsent at the kill, ${f.claimedAtKill} claimed by the dead process, ${f.deliveredBeforeKillMarkedAfter} delivered before the kill but marked sent after it) all sent once, last one sent ${f.outboxDrainMs} ms after the restart began; ${f.totalMs} ms in all`,
  );
  for (const failure of report.failures) console.log(`    - ${failure}`);
  if (report.dir) console.log(`    database kept in ${report.dir}`);
}

await killAll();
const failed = reports.filter((r) => !r.ok).length;
console.log(`durability: ${reports.length - failed} of ${reports.length} rounds passed`);
process.exit(failed ? 1 : 0);

// SECURITY D2 and D3 on the real server process, bounded for `npm test`: two seeded rounds of
// thousands of writes at concurrency 20, a SIGKILL at a random moment, a restart on the same file,
// then every acknowledged write present and whole, integrity_check ok, no foreign-key violation,
// and every outbox row sent exactly once. `npm run test:durability` runs longer rounds and more seeds.
// The last test breaks the file between kill and restart to show the checks catch what they claim.
import { afterAll, describe, expect, it } from 'vitest';
import { defaultOptions, runRound, type DurabilityOptions } from './durability/harness';
import { killAll } from './server-process';

afterAll(() => killAll());

const bounded: Omit<DurabilityOptions, 'seed'> = {
  ...defaultOptions,
  writes: 2000,
  killBetween: [0.3, 0.9],
  maxLoadMs: 6_000,
  outboxWaitMs: 15_000,
};

const explain = (report: Awaited<ReturnType<typeof runRound>>) =>
  `${JSON.stringify(report.figures)}\n${report.failures.join('\n')}${report.dir ? `\n(database kept in ${report.dir})` : ''}`;

describe('D2/D3: kill -9 under write load loses nothing acknowledged and sends every email once', () => {
  it.each([101, 202])('seed %i', async (seed) => {
    const report = await runRound({ ...bounded, seed });
    expect(report.failures, explain(report)).toEqual([]);
    // Not vacuous: the load really ran and the kill really landed mid-stream.
    expect(report.figures.acknowledgedTotal).toBeGreaterThan(100);
    for (const kind of ['customer', 'invoice', 'invitation', 'estimate', 'approval', 'message'] as const) {
      expect(report.figures.acknowledged[kind], kind).toBeGreaterThan(0);
    }
    expect(report.figures.outboxRows).toBeGreaterThan(0);
  }, 45_000);

  it('catches a lost write, a torn write and a lost email when the file is broken before the restart', async () => {
    const report = await runRound({
      ...bounded,
      seed: 303,
      writes: 200,
      killBetween: [0.8, 0.9],
      tamper(db, acknowledged) {
        const customer = acknowledged.filter((a) => a.kind === 'customer').at(-1)!;
        const invoice = acknowledged.find((a) => a.kind === 'invoice')!;
        db.prepare('delete from customer_emails where customer_id = ?').run(customer.body.id);
        db.prepare('update invoices set tax_amount = tax_amount + 1 where id = ?').run(invoice.body.id);
        // An email that was delivered disappears from the mailbox although its row says sent.
        db.prepare(`delete from dev_mailbox where outbox_id = (select id from email_outbox where status = 'sent' limit 1)`).run();
      },
    });
    const all = report.failures.join('\n');
    expect(report.ok).toBe(false);
    expect(all).toMatch(/customer d303-c\d+ in the database/);
    expect(all).toMatch(/GET invoice inv_\S+ after the restart/);
    expect(all).toMatch(/1 outbox rows marked sent that never reached the mailbox/);
    expect(all).not.toMatch(/could not run/);
  }, 45_000);
});

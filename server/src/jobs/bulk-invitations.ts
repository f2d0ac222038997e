// Runs bulk invitation jobs in the background of the server process (services/bulk-invitations.ts).
import { Poller } from '../lib/poller';
import { runBulkJob } from '../services/bulk-invitations';
import type { Deps } from '../services/deps';

export class BulkInvitationWorker {
  private stopping = false;
  private readonly poller = new Poller(
    async () => ({ full: (await runBulkJob(this.deps, { stopping: () => this.stopping })).found }),
    (error) => this.log(`bulk invitations: run failed: ${error instanceof Error ? error.message : String(error)}`),
  );

  constructor(
    private readonly deps: Deps,
    private readonly log: (message: string) => void = (message) => console.error(message),
  ) {}

  start(intervalMs = 1000): void {
    this.stopping = false;
    this.poller.start(intervalMs);
  }

  /** Asks for a run now, e.g. right after a job was queued. */
  poke(): void {
    this.poller.poke();
  }

  /** Stops between chunks; the job's claim lapses and the next start resumes it. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.poller.stop();
  }
}

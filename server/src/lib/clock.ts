// Time comes from a clock passed in, so tests move it instead of sleeping.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests set and advance by hand. */
export class ManualClock implements Clock {
  constructor(private time = Date.parse('2026-01-15T12:00:00Z')) {}
  now(): number {
    return this.time;
  }
  set(iso: string | number): void {
    this.time = typeof iso === 'number' ? iso : Date.parse(iso);
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

// Time comes from here so that closing dates, reminders and expiries can be tested.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests and simulations: stands still until told to move. */
export class ManualClock implements Clock {
  #now: Date;
  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.#now = new Date(start);
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(to: Date | string): void {
    this.#now = new Date(to);
  }
  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }
}

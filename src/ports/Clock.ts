/** Time, passed in so that rules and use cases can be tested with a fixed clock. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

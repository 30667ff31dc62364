import type { SandboxContext } from "../context";

/** Runs the retention job once against a sandbox (wired by the retention job's owner). */
export type SweepFn = (ctx: SandboxContext) => Promise<unknown>;

let sweep: SweepFn | undefined;

/** Sets what `POST /_sandbox/clock` runs after moving the clock (unless `sweep: false`). */
export function setSweep(fn: SweepFn | undefined): void {
  sweep = fn;
}

export function currentSweep(): SweepFn | undefined {
  return sweep;
}

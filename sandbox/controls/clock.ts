import type Database from "better-sqlite3";
import type { SandboxClock } from "../context";
import { readState, writeState } from "../store/database";

const key = "clock.offsetMs";

/** The sandbox clock: real time plus an offset that `POST /_sandbox/clock` moves; kept across restarts. */
export function createClock(db: Database.Database): SandboxClock & { reset(): void } {
  let offset = readState<number>(db, key, 0);
  return {
    now: () => new Date(Date.now() + offset),
    advanceDays(days: number) {
      offset += days * 24 * 3600 * 1000;
      writeState(db, key, offset);
    },
    reset() {
      offset = 0;
      writeState(db, key, offset);
    },
  };
}

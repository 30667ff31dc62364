import type Database from "better-sqlite3";
import type { TenantPolicy } from "../context";
import { readState, writeState } from "../store/database";

export const defaultPolicy: TenantPolicy = { externalSharing: true, blockedDomains: [], mailboxApproved: true, teamsChat: true };
const key = "tenant.policy";

/** Tenant switches (`PUT /_sandbox/policy`), kept across restarts; a reset restores the defaults. */
export function createPolicyStore(db: Database.Database) {
  let current: TenantPolicy = { ...defaultPolicy, ...readState<Partial<TenantPolicy>>(db, key, {}) };
  return {
    get: (): TenantPolicy => current,
    /** Merges a partial update; throws a sentence for a value of the wrong type. */
    update(patch: Record<string, unknown>): TenantPolicy {
      const next: { -readonly [K in keyof TenantPolicy]: TenantPolicy[K] } = { ...current };
      for (const [name, value] of Object.entries(patch)) {
        if (name === "externalSharing" || name === "mailboxApproved" || name === "teamsChat") {
          if (typeof value !== "boolean") throw new Error(`${name} must be true or false.`);
          next[name] = value;
        } else if (name === "blockedDomains") {
          if (!Array.isArray(value) || !value.every((d) => typeof d === "string"))
            throw new Error("blockedDomains must be a list of domains.");
          next.blockedDomains = value.map((d: string) => d.trim().toLowerCase()).filter(Boolean);
        } else {
          throw new Error(`Unknown policy switch "${name}". Known: externalSharing, blockedDomains, mailboxApproved, teamsChat.`);
        }
      }
      current = next;
      writeState(db, key, current);
      return current;
    },
    reset() {
      current = { ...defaultPolicy };
      writeState(db, key, current);
    },
  };
}

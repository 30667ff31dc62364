import { parseSettings, type RawSettings, type Settings } from "../../domain/settings";
import { environmentVariableDefinition } from "../../model";
import type { SettingsSource } from "../../ports/SettingsSource";
import { toDataverseError } from "./DataverseError";
import type { SessionCache } from "./SessionCache";
import type { XrmWebApi } from "./XrmCrmGateway";
import type { Row } from "./records";

const CACHE_KEY = "settings";

/** The one request for every setting: definitions with their current values. */
export const SETTINGS_QUERY =
  "?$select=schemaname,defaultvalue&$filter=startswith(schemaname,'cfx_')" +
  "&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)";

/** Raw values by schema name: the current value when one is set, else the definition's default. */
export function rawSettingsFromRows(rows: readonly Row[]): RawSettings {
  const out: Record<string, string | null> = {};
  for (const row of rows) {
    const name = typeof row.schemaname === "string" ? row.schemaname : undefined;
    if (!name) continue;
    const values = Array.isArray(row.environmentvariabledefinition_environmentvariablevalue)
      ? (row.environmentvariabledefinition_environmentvariablevalue as Row[])
      : [];
    const current = values.map((v) => v.value).find((v): v is string => typeof v === "string" && v !== "");
    out[name] = current ?? (typeof row.defaultvalue === "string" ? row.defaultvalue : null);
  }
  return out;
}

/**
 * The settings from Dataverse environment variables, read in one request on the first panel open
 * of a browser session and kept in sessionStorage afterwards (DESIGN.md budgets). Only values that
 * parse are cached, so a fixed setting is picked up on the next open.
 */
export class XrmSettingsSource implements SettingsSource {
  private pending?: Promise<Settings>;

  constructor(
    private readonly webApi: XrmWebApi,
    private readonly cache: SessionCache,
  ) {}

  load(): Promise<Settings> {
    this.pending ??= this.read().catch((e: unknown) => {
      this.pending = undefined;
      throw e;
    });
    return this.pending;
  }

  private async read(): Promise<Settings> {
    const cached = this.cache.get(CACHE_KEY);
    if (cached) {
      try {
        return parseSettings(JSON.parse(cached) as RawSettings);
      } catch {
        // A stale or damaged entry: read again.
      }
    }
    let rows: Row[];
    try {
      const result = await this.webApi.retrieveMultipleRecords(environmentVariableDefinition.logicalName, SETTINGS_QUERY);
      rows = result.entities as Row[];
    } catch (e) {
      throw toDataverseError(e, "Reading the Case File Exchange settings");
    }
    const raw = rawSettingsFromRows(rows);
    const settings = parseSettings(raw);
    this.cache.set(CACHE_KEY, JSON.stringify(raw));
    return settings;
  }
}

import type { TimelineTarget } from "../../ports/CrmGateway";
import type { BatchOperation } from "./DataverseClient";

/**
 * What the job's Dataverse adapters share: reading Web API rows, writing Web API literals, and the
 * two keyed creates both make (a note on a timeline, an in-app notification).
 */

/** A row as the Web API returns it. */
export type Row = Readonly<Record<string, unknown>>;

/** The annotation that names a lookup's table (`_ownerid_value@…`: `systemuser` or `team`). */
export const LOOKUP_TABLE = "@Microsoft.Dynamics.CRM.lookuplogicalname";

/** Ids asked for per query (an `or` of ids keeps the URL short). */
export const IDS_PER_QUERY = 20;

export function str(r: Row, key: string): string | undefined {
  const v = r[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

export function num(r: Row, key: string): number | undefined {
  const v = r[key];
  return typeof v === "number" ? v : undefined;
}

export function date(r: Row, key: string): Date | undefined {
  const v = str(r, key);
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** An OData string literal: single quotes doubled. */
export function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Dataverse's date-time literal: ISO 8601 in UTC, whole seconds. */
export function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A GUID without braces, lower case; refuses anything else (it goes into a URL). */
export function guid(id: string): string {
  const v = id.replace(/[{}]/g, "").toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)) throw new Error(`Not a record id: "${id}".`);
  return v;
}

const entitySets: Readonly<Record<TimelineTarget["table"], string>> = {
  incident: "incidents",
  cfx_hardwareticket: "cfx_hardwaretickets",
  cfx_fileexchange: "cfx_fileexchanges",
};

/** A note on a record's timeline, created under `id` so that a repeat is refused as a duplicate. */
export function noteOperation(
  id: string,
  target: TimelineTarget,
  note: { readonly subject: string; readonly text: string },
): BatchOperation {
  return {
    method: "POST",
    path: "annotations",
    body: {
      annotationid: guid(id),
      subject: note.subject.slice(0, 500),
      notetext: note.text,
      [`objectid_${target.table}@odata.bind`]: `/${entitySets[target.table]}(${guid(target.id)})`,
    },
  };
}

// appnotification choices (Learn: "Send in-app notifications within model-driven apps").
export const NotificationIcon = { info: 100000000, warning: 100000003 } as const;
const TOAST_TIMED = 200000000;
const TWO_WEEKS_SECONDS = 14 * 24 * 3600;

/** An in-app notification to one user, created under `id` so that a repeat is refused as a duplicate. */
export function notificationOperation(n: {
  readonly id: string;
  readonly userId: string;
  readonly title: string;
  readonly body: string;
  readonly icon: (typeof NotificationIcon)[keyof typeof NotificationIcon];
  /** Extra columns (`priority`, `data` with the notification's actions). */
  readonly extra?: Readonly<Record<string, unknown>>;
}): BatchOperation {
  return {
    method: "POST",
    path: "appnotifications",
    body: {
      appnotificationid: guid(n.id),
      title: n.title.slice(0, 200),
      body: n.body.slice(0, 5000),
      icontype: n.icon,
      toasttype: TOAST_TIMED,
      ttlinseconds: TWO_WEEKS_SECONDS,
      "ownerid@odata.bind": `/systemusers(${guid(n.userId)})`,
      ...n.extra,
    },
  };
}

/**
 * Who is told when something about a case needs its owner (Notify Support, the retention job's
 * expiry warning). A case is owned by a person or by a team — common where queues and routing
 * assign cases — and in-app notifications and e-mail activity parties go to users, never to a
 * team: a team-owned case's members are told, each on their own.
 */

/**
 * A case's owner, as `_ownerid_value` and its `@Microsoft.Dynamics.CRM.lookuplogicalname`
 * annotation give it ("systemuser" or "team"; Learn: Web API "Select columns", Lookup property data).
 */
export type CaseOwner =
  | { readonly kind: "user"; readonly id: string; readonly name?: string }
  | { readonly kind: "team"; readonly id: string; readonly name?: string };

/** A Dynamics 365 user who can be notified. */
export interface Person {
  readonly id: string;
  readonly name: string;
}

/**
 * At most this many members of a team are told: a notification each and one e-mail with them all
 * in To. A team larger than that is a routing pool, not the people working the case; telling
 * hundreds would be noise and hundreds of requests from the panel.
 */
export const MAX_NOTIFIED_MEMBERS = 50;

export interface NotificationAudience {
  readonly owner: CaseOwner;
  /** Who gets the notification and the e-mail: the owner, or the team's members (by name, at most the cap). */
  readonly people: readonly Person[];
  /** The team has more members than the cap: only the first ones by name are told. */
  readonly capped: boolean;
  readonly cap: number;
}

const bare = (id: string) => id.replace(/[{}]/g, "").trim().toLowerCase();

const byName = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/**
 * Who is told: a person who owns the case; else each member of the owning team, once, ordered by
 * name (then id, so equal names keep one order), the first `cap` of them. `members` is what the
 * team holds in Dataverse; callers may pass `cap + 1` of them to learn that there are more.
 */
export function notificationAudience(
  owner: CaseOwner,
  members: readonly Person[] = [],
  cap: number = MAX_NOTIFIED_MEMBERS,
): NotificationAudience {
  if (owner.kind === "user") {
    return { owner, people: owner.id ? [{ id: owner.id, name: owner.name ?? "" }] : [], capped: false, cap };
  }
  const seen = new Set<string>();
  const unique = members.filter((m) => {
    const id = bare(m.id);
    if (!id || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  const sorted = [...unique].sort((a, b) => byName.compare(a.name, b.name) || (bare(a.id) < bare(b.id) ? -1 : 1));
  return { owner, people: sorted.slice(0, cap), capped: sorted.length > cap, cap };
}

const teamInWords = (owner: CaseOwner) => (owner.name ? `team "${owner.name}"` : "the owning team");

/** Who was told, as a phrase for a note ("Alex Agent", `the 3 members of team "Tier 2" (…)`). */
export function audienceNames(audience: NotificationAudience): string {
  const { owner, people } = audience;
  if (owner.kind === "user") return owner.name || "the case's owner";
  const names = people.map((p) => p.name || "(no name)").join(", ");
  if (audience.capped) return `the first ${people.length} members by name of ${teamInWords(owner)} (${names})`;
  if (people.length === 1) return `the only member of ${teamInWords(owner)} (${names})`;
  return `the ${people.length} members of ${teamInWords(owner)} (${names})`;
}

/** The sentence a note carries when a team had more members than were told; empty otherwise. */
export function audienceCapSentence(audience: NotificationAudience): string {
  if (!audience.capped) return "";
  const team = teamInWords(audience.owner);
  return `${team.charAt(0).toUpperCase()}${team.slice(1)} has more than ${audience.cap} members: only the first ${audience.people.length} by name were notified.`;
}

/** Why nobody could be told (a team with no members); empty when someone was. */
export function nobodyNotifiedSentence(audience: NotificationAudience): string {
  if (audience.people.length > 0) return "";
  if (audience.owner.kind === "user") return "Nobody could be notified: the case has no owner.";
  return `Nobody could be notified: the case is owned by ${teamInWords(audience.owner)}, which has no members in Dynamics 365.`;
}

import {
  audienceCapSentence,
  audienceNames,
  MAX_NOTIFIED_MEMBERS,
  nobodyNotifiedSentence,
  notificationAudience,
  type CaseOwner,
  type Person,
} from "../../../src/domain";

const user: CaseOwner = { kind: "user", id: "u-1", name: "Alex Agent" };
const team: CaseOwner = { kind: "team", id: "t-1", name: "Tier 2" };
const people = (...names: string[]): Person[] => names.map((name, i) => ({ id: `m-${i}`, name }));
const many = (n: number): Person[] => Array.from({ length: n }, (_, i) => ({ id: `m-${i}`, name: `Member ${String(i).padStart(3, "0")}` }));

describe("who is told about a case: its owner, or its owning team's members", () => {
  test.each<[string, CaseOwner, Person[], { ids: string[]; capped: boolean }]>([
    ["a person owning the case: that person", user, [], { ids: ["u-1"], capped: false }],
    ["a person owning the case, whatever members are passed", user, people("Bo"), { ids: ["u-1"], capped: false }],
    ["a team: each member, by name", team, people("Cy", "al", "Bo"), { ids: ["m-1", "m-2", "m-0"], capped: false }],
    [
      "a team listing a member twice (or with braces and capitals): once",
      team,
      [...people("Al"), { id: "{M-0}", name: "Al" }],
      { ids: ["m-0"], capped: false },
    ],
    ["a team with no members: nobody", team, [], { ids: [], capped: false }],
    ["a team of exactly the cap: all of them", team, many(MAX_NOTIFIED_MEMBERS), { ids: many(50).map((p) => p.id), capped: false }],
    ["a team over the cap: the first 50 by name", team, many(51).reverse(), { ids: many(50).map((p) => p.id), capped: true }],
  ])("%s", (_what, owner, members, expected) => {
    const audience = notificationAudience(owner, members);
    expect(audience.people.map((p) => p.id.replace(/[{}]/g, "").toLowerCase())).toEqual(expected.ids);
    expect(audience.capped).toBe(expected.capped);
  });

  test("members with the same name keep a fixed order (by id)", () => {
    const twins = [
      { id: "b", name: "Sam" },
      { id: "a", name: "Sam" },
    ];
    expect(notificationAudience(team, twins).people.map((p) => p.id)).toEqual(["a", "b"]);
  });

  test("a smaller cap applies as given", () => {
    expect(notificationAudience(team, people("A", "B", "C"), 2)).toMatchObject({ capped: true, people: [{ name: "A" }, { name: "B" }] });
  });

  test.each<[string, CaseOwner, Person[], string]>([
    ["the person by name", user, [], "Alex Agent"],
    ["a person without a name", { kind: "user", id: "u-1" }, [], "the case's owner"],
    ["the only member of a team", team, people("Bo"), 'the only member of team "Tier 2" (Bo)'],
    ["the members of a team", team, people("Bo", "Al"), 'the 2 members of team "Tier 2" (Al, Bo)'],
    ["a team without a name", { kind: "team", id: "t-1" }, people("Bo", "Al"), "the 2 members of the owning team (Al, Bo)"],
    ["the first members of a large team", team, many(51), `the first 50 members by name of team "Tier 2" (Member 000, Member 001,`],
  ])("names %s", (_what, owner, members, words) => {
    expect(audienceNames(notificationAudience(owner, members))).toContain(words);
  });

  test("says when a team had more members than were told, and nothing otherwise", () => {
    expect(audienceCapSentence(notificationAudience(team, many(51)))).toBe(
      'Team "Tier 2" has more than 50 members: only the first 50 by name were notified.',
    );
    expect(audienceCapSentence(notificationAudience(team, many(50)))).toBe("");
    expect(audienceCapSentence(notificationAudience(user))).toBe("");
  });

  test("says plainly why nobody could be told", () => {
    expect(nobodyNotifiedSentence(notificationAudience(team, []))).toBe(
      'Nobody could be notified: the case is owned by team "Tier 2", which has no members in Dynamics 365.',
    );
    expect(nobodyNotifiedSentence(notificationAudience(user))).toBe("");
  });
});

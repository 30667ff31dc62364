import { notifySupport } from "../../../src/app/notifySupport";
import { prepareFolder } from "../../../src/app/prepareFolder";
import { sendTeamsFollowUpAgain } from "../../../src/app/teamsFollowUp";
import { FileIntegrity } from "../../../src/model";
import { TokenError } from "../../../src/ports/TokenProvider";
import { aCase, FakeCrm, FakeTeams, ports, settings, specialist, ticket } from "./fakes";

const agentEntraId = "0a9e0001-0000-4000-8000-0000000000a1";
const graphRefusal = (status: number, code: string, message: string) =>
  Object.assign(new Error(message), { name: "GraphError", code, status });

/** A prepared exchange with one stored file, the Teams follow-up setting as given. */
async function prepared(teamsFollowUp: boolean, crm = new FakeCrm()) {
  const teams = new FakeTeams();
  const p = { ...ports(crm), settings: { ...settings, teamsFollowUp }, teams };
  const { exchange } = await prepareFolder(p, ticket, specialist);
  await crm.addReceipt({
    id: "f-1",
    exchangeId: exchange.id,
    path: "backup.zip",
    size: 2_500_000,
    integrity: FileIntegrity.verified,
    uploadedOn: new Date("2026-11-22T03:10:00Z"),
  });
  crm.notes = [];
  crm.calls = [];
  return { p, crm, teams, exchange, input: { ticket, exchangeId: exchange.id, user: specialist, appUrl: "https://org.example/" } };
}

const teamsNotes = (crm: FakeCrm) => crm.notes.filter((n) => n.note.subject === "Teams message to support");

describe("Notify Support's Teams follow-up", () => {
  it("with the setting off, sends no Teams message and does not read the owner's Entra account", async () => {
    const { p, crm, teams, input } = await prepared(false);
    const result = await notifySupport(p, input);
    expect(result.outcome).toBe("notified");
    expect(result.teams).toBeUndefined();
    expect(teams.sent).toEqual([]);
    expect(crm.calls).not.toContain("userEntraObjectId");
    expect(teamsNotes(crm)).toEqual([]);
  });

  it("with the setting on, messages the agent's Entra account with the case's number, title and link, and notes it", async () => {
    const { p, crm, teams, input } = await prepared(true);
    const result = await notifySupport(p, input);
    expect(result).toMatchObject({ outcome: "notified", email: "sent", teams: { status: "sent", to: "Alex Agent" } });
    expect(teams.sent).toHaveLength(1);
    expect(teams.sent[0].to).toBe(agentEntraId);
    expect(teams.sent[0].html).toContain("<b>CAS-01234-A1B2C3: Scanner replacement</b>");
    expect(teams.sent[0].html).toContain('href="https://org.example/main.aspx?etn=incident&amp;id=case-1&amp;pagetype=entityrecord"');
    expect(teamsNotes(crm).map((n) => n.target.table)).toEqual(["cfx_hardwareticket", "incident"]);
    expect(teamsNotes(crm)[0].note.text).toBe(
      "Sam Specialist sent Alex Agent a Teams message about case CAS-01234-A1B2C3 with a link to the case.",
    );
    // The notification and the e-mail went as without the setting.
    expect(crm.notifications).toHaveLength(1);
    expect(crm.emails).toHaveLength(1);
  });

  it("escapes the case's title in the message", async () => {
    const crm = new FakeCrm();
    crm.kase = aCase({ title: 'Printer <img src=x onerror=alert(1)> & "scanner"' });
    const { p, teams, input } = await prepared(true, crm);
    await notifySupport(p, input);
    expect(teams.sent[0].html).toContain("Printer &lt;img src=x onerror=alert(1)&gt; &amp; &quot;scanner&quot;");
    expect(teams.sent[0].html).not.toContain("<img");
  });

  it("when Teams refuses, still notifies and notes, and reports the refusal with Teams' reason", async () => {
    const { p, crm, teams, exchange, input } = await prepared(true);
    teams.refuse = graphRefusal(403, "Forbidden", "Teams is not enabled for this user.");
    const result = await notifySupport(p, input);
    expect(result).toMatchObject({
      outcome: "notified",
      teams: { status: "notSent", reason: "refused", detail: "Teams is not enabled for this user." },
    });
    expect(crm.exchanges.find((e) => e.id === exchange.id)?.notifiedOn).toBeInstanceOf(Date);
    expect(crm.notifications).toHaveLength(1);
    expect(crm.emails).toHaveLength(1);
    expect(crm.notes.filter((n) => n.note.subject === "Backup is ready")).toHaveLength(3);
    expect(teamsNotes(crm)[0].note.text).toBe(
      "No Teams message was sent to Alex Agent about case CAS-01234-A1B2C3: Teams refused: Teams is not enabled for this user. The in-app notification and the e-mail were sent as usual.",
    );
  });

  it("when the agent has no Microsoft Entra account, sends nothing to Teams and says so", async () => {
    const crm = new FakeCrm();
    crm.entraIds.clear();
    const { p, teams, input } = await prepared(true, crm);
    const result = await notifySupport(p, input);
    expect(result).toMatchObject({ outcome: "notified", teams: { status: "notSent", reason: "noEntraAccount", to: "Alex Agent" } });
    expect(teams.sent).toEqual([]);
    expect(teamsNotes(crm)[0].note.text).toContain("Alex Agent has no Microsoft Entra account recorded in Dynamics 365");
  });

  it("messages nobody in Teams when a team owns the case: its members were told in the app and by e-mail", async () => {
    const crm = new FakeCrm();
    crm.kase = aCase({ ownerId: "team-1", ownerName: "Tier 2 Support", ownerIsTeam: true });
    crm.teams.set("team-1", [{ id: "user-agent", name: "Alex Agent" }]);
    const { p, teams, input } = await prepared(true, crm);
    const result = await notifySupport(p, input);
    expect(result).toMatchObject({ outcome: "notified", teams: { status: "notSent", reason: "teamOwned" } });
    expect(teams.sent).toEqual([]);
    expect(crm.calls).not.toContain("userEntraObjectId");
  });

  it("asks for a sign-in when Teams needs consent, and sends once after it", async () => {
    const { p, crm, teams, input } = await prepared(true);
    teams.refuse = new TokenError("interactionRequired", "Sign in to SharePoint to continue.");
    const first = await notifySupport(p, input);
    expect(first.teams).toMatchObject({ status: "notSent", reason: "signInNeeded" });
    teams.refuse = undefined;
    await expect(sendTeamsFollowUpAgain(p, input)).resolves.toMatchObject({ status: "sent" });
    expect(teams.sent).toHaveLength(1);
    expect(crm.notifications).toHaveLength(1);
    expect(teamsNotes(crm).map((n) => (n.note.text.startsWith("No Teams message") ? "not sent" : "sent"))).toEqual([
      "not sent",
      "not sent",
      "sent",
      "sent",
    ]);
  });

  it("a Notify Support retried after a failure half-way posts the Teams message once", async () => {
    const crm = new FakeCrm();
    const { p, teams, input } = await prepared(true, crm);
    crm.failOnce.set("createAppNotification", new Error("503"));
    await expect(notifySupport(p, input)).rejects.toThrow("503");
    expect(teams.sent).toEqual([]);
    await expect(notifySupport(p, input)).resolves.toMatchObject({ outcome: "notified", teams: { status: "sent" } });
    await expect(notifySupport(p, input)).resolves.toMatchObject({ outcome: "alreadyNotified" });
    expect(teams.sent).toHaveLength(1);
  });

  it("a Teams message whose answer was lost is reported as unknown and never posted again", async () => {
    const { p, crm, teams, input } = await prepared(true);
    teams.loseAnswer = true;
    const result = await notifySupport(p, input);
    expect(result).toMatchObject({ outcome: "notified", teams: { status: "unknown" } });
    await expect(notifySupport(p, input)).resolves.toMatchObject({ outcome: "alreadyNotified" });
    expect(teams.sent).toHaveLength(1);
    expect(teamsNotes(crm)[0].note.text).toContain("may not have arrived");
  });

  it("does not message the specialist's own case", async () => {
    const crm = new FakeCrm();
    crm.kase = aCase({ ownerId: specialist.id, ownerName: specialist.name });
    const { p, teams, input } = await prepared(true, crm);
    await expect(notifySupport(p, input)).resolves.toMatchObject({ teams: { status: "notSent", reason: "ownCase" } });
    expect(teams.sent).toEqual([]);
  });

  it("a note that cannot be written does not hide that the message was sent", async () => {
    const { p, crm, teams, input } = await prepared(true);
    const addNote = crm.addNote.bind(crm);
    crm.addNote = async (target, note, id) => {
      if (note.subject === "Teams message to support") throw new Error("503");
      return addNote(target, note, id);
    };
    await expect(notifySupport(p, input)).resolves.toMatchObject({ teams: { status: "sent" } });
    expect(teams.sent).toHaveLength(1);
  });
});

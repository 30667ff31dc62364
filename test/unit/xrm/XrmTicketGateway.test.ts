import { caseSummaryFromRow, teamMembersQuery, XrmTicketGateway, type XrmExecute } from "../../../src/adapters/xrm/XrmTicketGateway";
import { emailRowId, notificationRowId } from "../../../src/domain/recordIds";
import { FakeWebApi } from "./FakeWebApi";

const L = "@Microsoft.Dynamics.CRM.lookuplogicalname";
const F = "@OData.Community.Display.V1.FormattedValue";
const ME = "aaaaaaaa-0000-4000-8000-000000000001";
const CASE = "cccccccc-0000-4000-8000-000000000001";
const TEAM = "dddddddd-0000-4000-8000-000000000001";
const X = "eeeeeeee-0000-4000-8000-000000000001";

const noExecute: XrmExecute = {
  execute: () => {
    throw new Error("not used");
  },
};
const gateway = (api: FakeWebApi) => new XrmTicketGateway(api, noExecute, ME);

describe("the case's owner, read with the case", () => {
  test.each([
    ["team", true],
    ["systemuser", false],
    [undefined, false],
  ])("owner's lookup names the table %s: a team %s", (table, isTeam) => {
    const row = {
      incidentid: CASE,
      _ownerid_value: TEAM,
      [`_ownerid_value${F}`]: "Tier 2",
      ...(table ? { [`_ownerid_value${L}`]: table } : {}),
    };
    expect(caseSummaryFromRow(row)).toMatchObject({ ownerId: TEAM, ownerName: "Tier 2", ownerIsTeam: isTeam });
  });
});

describe("XrmTicketGateway", () => {
  test("reads a team's enabled members by name in one request, through teammembership_association", async () => {
    const api = new FakeWebApi();
    api.reads.set("team", {
      teamid: TEAM,
      teammembership_association: [
        { systemuserid: "{BBBBBBBB-0000-4000-8000-000000000002}", fullname: "Al Adams" },
        { systemuserid: "bbbbbbbb-0000-4000-8000-000000000003", fullname: "Bo Brown" },
      ],
    });
    const members = await gateway(api).teamMembers(TEAM, 51);
    expect(members).toEqual([
      { id: "bbbbbbbb-0000-4000-8000-000000000002", name: "Al Adams" },
      { id: "bbbbbbbb-0000-4000-8000-000000000003", name: "Bo Brown" },
    ]);
    expect(api.calls).toEqual([{ op: "retrieve", entity: "team", id: TEAM, options: teamMembersQuery(51) }]);
    expect(teamMembersQuery(51)).toBe(
      "?$select=teamid&$expand=teammembership_association($select=systemuserid,fullname;$filter=isdisabled eq false;$orderby=fullname asc;$top=51)",
    );
  });

  test("writes the e-mail under its derived id, from the caller to every user in To", async () => {
    const api = new FakeWebApi();
    const id = emailRowId(`backupReady:${X}`);
    const to = ["bbbbbbbb-0000-4000-8000-000000000002", "bbbbbbbb-0000-4000-8000-000000000003"];
    await expect(gateway(api).createEmail({ id, regardingCaseId: CASE, toUserIds: to, subject: "s", html: "<p>h</p>" })).resolves.toEqual({
      id,
      status: "draft",
    });
    const body = api.calls[0].data!;
    expect(body.activityid).toBe(id);
    expect(body.email_activity_parties).toEqual([
      { "partyid_systemuser@odata.bind": `/systemusers(${ME})`, participationtypemask: 1 },
      ...to.map((u) => ({ "partyid_systemuser@odata.bind": `/systemusers(${u})`, participationtypemask: 2 })),
    ]);
  });

  test("a second create of the same e-mail (its answer was lost) answers the e-mail as it is, writing nothing", async () => {
    const api = new FakeWebApi();
    const id = emailRowId(`backupReady:${X}`);
    const input = { id, regardingCaseId: CASE, toUserIds: [ME], subject: "s", html: "h" };
    await gateway(api).createEmail(input);
    api.reads.set("email", { activityid: id, statecode: 1, statuscode: 3 });
    await expect(gateway(api).createEmail(input)).resolves.toEqual({ id, status: "sent" });
    expect(api.rows.get("email")!.size).toBe(1);
  });

  test("an e-mail that is not there reads as none", async () => {
    const api = new FakeWebApi();
    api.failures.set("email", Object.assign(new Error("Not found"), { status: 404 }));
    api.reads.set("email", {});
    await expect(gateway(api).getEmail(emailRowId("x"))).resolves.toBeNull();
  });

  test("a notification is created under the id it is given; a repeat is a duplicate, taken as done", async () => {
    const api = new FakeWebApi();
    const input = {
      id: notificationRowId(`backupReady:${X}`, ME),
      userId: ME,
      title: "t",
      body: "b",
      link: { table: "incident" as const, id: CASE },
    };
    await gateway(api).createAppNotification(input);
    await expect(gateway(api).createAppNotification(input)).resolves.toBeUndefined();
    expect([...api.rows.get("appnotification")!.keys()]).toEqual([input.id]);
    expect(api.calls[0].data!["ownerid@odata.bind"]).toBe(`/systemusers(${ME})`);
  });
});

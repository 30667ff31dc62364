import { requestFiles } from "../../../src/app/requestFiles";
import { shareWithCustomer } from "../../../src/app/shareWithCustomer";
import { ExchangeDirection, ExchangeStage } from "../../../src/model";
import { agent, backupExchange, caseRecord, FakeCrm, FakeLibrary, folder, lostAnswer, NOW, ports } from "./fakes";

const request = { email: "ana@clinic.example", role: "write" as const, message: "Please upload the files within 7 days." };
const down = () => Object.assign(new Error("Service unavailable"), { name: "DataverseError", code: "failed", status: 503 });
const graphDown = () => Object.assign(new Error("Service unavailable"), { name: "GraphError", code: "serviceNotAvailable", status: 503 });

/** Every direct permission on a folder has an open recipient row naming that address on an exchange of that folder. */
function everyAccessRecorded(crm: FakeCrm, lib: FakeLibrary): void {
  for (const [path, permissions] of lib.permissions)
    for (const p of permissions.filter((x) => !x.inherited)) {
      const exchanges = [...crm.exchanges.values()].filter((x) => x.folderPath === path && x.stage !== ExchangeStage.deleted);
      const rows = [...crm.recipients.values()].filter(
        (r) => !r.revokedOn && r.email === p.email && exchanges.some((x) => x.id === r.exchangeId),
      );
      expect(rows).toHaveLength(1);
    }
}

type Where = "crm" | "library";
type How = "fails" | "loses its answer";

/** Step, where it runs, and how it goes wrong. */
const requestSteps: ReadonlyArray<readonly [string, Where, How]> = [
  ["accessToCase", "crm", "fails"],
  ["createExchange", "crm", "fails"],
  ["createExchange", "crm", "loses its answer"],
  ["addRecipient", "crm", "fails"],
  ["addRecipient", "crm", "loses its answer"],
  ["ensureFolder", "library", "fails"],
  ["ensureFolder", "library", "loses its answer"],
  ["listPermissions", "library", "fails"],
  ["invite", "library", "fails"],
  ["invite", "library", "loses its answer"],
  ["updateRecipient", "crm", "fails"],
  ["updateRecipient", "crm", "loses its answer"],
  ["updateExchange", "crm", "fails"],
  ["updateExchange", "crm", "loses its answer"],
];

function breakStep(crm: FakeCrm, lib: FakeLibrary, step: string, where: Where, how: How): void {
  if (where === "crm") {
    if (how === "fails") crm.failNext.set(step, down());
    else crm.loseAnswer.add(step);
  } else if (how === "fails") lib.failNext.set(step, graphDown());
  else lib.loseAnswer.add(step);
}

describe("requestFiles after a failure at each step, then again from what the panel reads", () => {
  it.each(requestSteps)("%s (%s) %s: no access without a record, and the retry completes it once", async (step, where, how) => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    breakStep(crm, lib, step, where, how);
    await expect(requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] })).rejects.toBeDefined();
    everyAccessRecorded(crm, lib);
    // Whatever was written says the invitation is not confirmed yet.
    for (const x of crm.exchanges.values()) expect(x.stage).toBe(ExchangeStage.inviting);
    // A row is confirmed (invitation date) only together with the permission SharePoint gave.
    for (const r of crm.recipients.values()) expect(r.invitedOn === undefined || r.permissionId !== undefined).toBe(true);

    // The panel reads again and the agent asks again.
    const out = await requestFiles(ports(crm, lib), {
      caseRecord,
      request,
      actor: agent,
      exchanges: [...crm.exchanges.values()],
      recipients: [...crm.recipients.values()],
    });
    expect([...crm.exchanges.values()]).toEqual([
      expect.objectContaining({ id: out.exchange.id, stage: ExchangeStage.shared, sharedOn: NOW, itemId: expect.any(String) }),
    ]);
    expect([...crm.recipients.values()]).toEqual([
      expect.objectContaining({ email: "ana@clinic.example", permissionId: expect.any(String), invitedOn: NOW }),
    ]);
    expect(lib.invites).toHaveLength(1);
    expect(lib.permissions.get("External Data Transfer/CAS-01234-A1B2C3")).toHaveLength(1);
    expect(crm.notes).toHaveLength(2);
    everyAccessRecorded(crm, lib);
  });

  it("writes the exchange, then the recipient, before SharePoint is touched, and confirms them after the invitation", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    const order: string[] = [];
    const pushCrm = crm.calls.push.bind(crm.calls);
    const pushLib = lib.calls.push.bind(lib.calls);
    crm.calls.push = (...ops: string[]) => (order.push(...ops.map((o) => `crm.${o}`)), pushCrm(...ops));
    lib.calls.push = (...ops: string[]) => (order.push(...ops.map((o) => `sp.${o}`)), pushLib(...ops));
    await requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] });
    expect(order).toEqual([
      "crm.accessToCase",
      "crm.createExchange",
      "crm.addRecipient",
      "sp.ensureFolder",
      "crm.updateExchange",
      "sp.listPermissions",
      "sp.invite",
      "crm.updateRecipient",
      "crm.updateExchange",
      "crm.addNote",
      "crm.addNote",
    ]);
  });
});

const shareSteps: ReadonlyArray<readonly [string, Where, How]> = [
  ["addRecipient", "crm", "fails"],
  ["addRecipient", "crm", "loses its answer"],
  ["listPermissions", "library", "fails"],
  ["invite", "library", "fails"],
  ["invite", "library", "loses its answer"],
  ["updateRecipient", "crm", "fails"],
  ["updateRecipient", "crm", "loses its answer"],
  ["updateExchange", "crm", "fails"],
  ["updateExchange", "crm", "loses its answer"],
];

describe("shareWithCustomer after a failure at each step, then again from what the panel reads", () => {
  it.each(shareSteps)("%s (%s) %s: one recipient row, one permission, one invitation", async (step, where, how) => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    const exchange = backupExchange();
    crm.exchanges.set(exchange.id, exchange);
    const input = { caseRecord, exchange, recipients: [], request: { ...request, role: "read" as const }, actor: agent };
    breakStep(crm, lib, step, where, how);
    await expect(shareWithCustomer(ports(crm, lib), input)).rejects.toBeDefined();
    everyAccessRecorded(crm, lib);
    for (const r of crm.recipients.values()) expect(r.invitedOn === undefined || r.permissionId !== undefined).toBe(true);

    await shareWithCustomer(ports(crm, lib), {
      ...input,
      exchange: crm.exchanges.get(exchange.id)!,
      recipients: [...crm.recipients.values()],
    });
    expect([...crm.recipients.values()]).toEqual([
      expect.objectContaining({ email: "ana@clinic.example", permissionId: expect.any(String), invitedOn: NOW }),
    ]);
    expect(lib.invites).toHaveLength(1);
    expect(lib.permissions.get(folder.path)).toHaveLength(1);
    expect(crm.exchanges.get(exchange.id)).toMatchObject({ stage: ExchangeStage.shared, sharedOn: NOW });
    everyAccessRecorded(crm, lib);
  });

  it("adds a second recipient to a shared folder the same way: row first, confirmed after", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    const exchange = backupExchange({ stage: ExchangeStage.shared, sharedOn: new Date("2026-11-21T09:00:00Z") });
    crm.exchanges.set(exchange.id, exchange);
    const other = { ...request, email: "it@clinic.example", confirmedOther: true, reason: "The clinic's IT restores the data" };
    crm.loseAnswer.add("updateRecipient");
    const input = { caseRecord, exchange, recipients: [], request: other, actor: agent };
    await expect(shareWithCustomer(ports(crm, lib), input)).rejects.toMatchObject({ code: "networkError" });
    await shareWithCustomer(ports(crm, lib), { ...input, recipients: [...crm.recipients.values()] });
    expect([...crm.recipients.values()]).toEqual([expect.objectContaining({ email: "it@clinic.example", invitedOn: NOW })]);
    expect(lib.invites).toHaveLength(1);
  });
});

describe("an exchange whose invitation is not confirmed", () => {
  it("is completed by Request files (the folder may not be there yet), not started again", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    lib.failNext.set("ensureFolder", graphDown());
    await expect(requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] })).rejects.toBeDefined();
    const [pending] = crm.exchanges.values();
    expect(pending).toMatchObject({ direction: ExchangeDirection.filesFromCustomer, stage: ExchangeStage.inviting });
    expect(pending.itemId).toBeUndefined();
    await requestFiles(ports(crm, lib), {
      caseRecord,
      request,
      actor: agent,
      exchanges: [pending],
      recipients: [...crm.recipients.values()],
    });
    expect(crm.exchanges.size).toBe(1);
    expect(crm.exchanges.get(pending.id)?.stage).toBe(ExchangeStage.shared);
  });

  it("keeps the expiry it recorded when completed later (field security keeps agents from changing it)", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    lib.failNext.set("invite", graphDown());
    await expect(requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] })).rejects.toBeDefined();
    const [pending] = crm.exchanges.values();
    const later = new Date(NOW.getTime() + 3600_000);
    await requestFiles(ports(crm, lib, { clock: { now: () => later } }), {
      caseRecord,
      request,
      actor: agent,
      exchanges: [pending],
      recipients: [...crm.recipients.values()],
    });
    expect(crm.exchanges.get(pending.id)?.expiresOn).toEqual(pending.expiresOn);
    expect([...crm.recipients.values()][0].invitedOn).toEqual(later);
  });

  it("lets a lost answer to the access check fail without writing anything", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    crm.failNext.set("accessToCase", lostAnswer());
    await expect(requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] })).rejects.toMatchObject({
      code: "networkError",
    });
    expect(crm.exchanges.size + crm.recipients.size).toBe(0);
    expect(lib.calls).toEqual([]);
  });
});

/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { ticketPanelModel } from "../../../src/app/loadTicketPanel";
import { prepareFolder } from "../../../src/app/prepareFolder";
import type { Exchange } from "../../../src/domain";
import { ExchangeDirection, ExchangeStage, FileIntegrity } from "../../../src/model";
import type { CurrentUser } from "../../../src/ports/CrmGateway";
import { PanelRoot } from "../../../src/ui/common/PanelRoot";
import { TicketPanel, type TicketPanelState } from "../../../src/ui/ticket/TicketPanel";
import { TicketPanelApp } from "../../../src/ui/ticket/TicketPanelApp";
import { TokenError } from "../../../src/ports/TokenProvider";
import { aCase, agent, FakeCrm, FakeTeams, ports, settings, specialist, ticket } from "./fakes";

const now = new Date("2026-11-22T03:00:00Z");

function exchange(overrides: Partial<Exchange> = {}): Exchange {
  return {
    id: "ex-1",
    name: "CAS-01234-A1B2C3",
    caseId: "case-1",
    direction: ExchangeDirection.backupForCustomer,
    stage: ExchangeStage.folderCreated,
    folderPath: "Customer Data Migration/CAS-01234-A1B2C3",
    webUrl: "https://contoso.sharepoint.com/sites/files/Shared%20Documents/Customer%20Data%20Migration/CAS-01234-A1B2C3",
    folderCreatedOn: now,
    expiresOn: new Date("2026-12-22T03:00:00Z"),
    fileCount: 0,
    totalBytes: 0,
    ownerId: "user-agent",
    ...overrides,
  };
}

function ready(
  ex: Exchange | null,
  user: CurrentUser = specialist,
  extra: Partial<Extract<TicketPanelState, { kind: "ready" }>> = {},
  kase = aCase(),
): TicketPanelState {
  return {
    kind: "ready",
    model: ticketPanelModel(ticket, kase, ex ? [ex] : [], user, now, settings),
    backupRoot: "Customer Data Migration",
    ...extra,
  };
}

function show(state: TicketPanelState) {
  const onAction = jest.fn();
  const onRetry = jest.fn();
  render(
    <PanelRoot locale="en-GB" timeZone="UTC">
      <TicketPanel state={state} onAction={onAction} onRetry={onRetry} />
    </PanelRoot>,
  );
  return { onAction, onRetry };
}

const buttons = () => screen.queryAllByRole("button").map((b) => b.textContent);

describe("TicketPanel", () => {
  it("shows a skeleton while loading", () => {
    show({ kind: "loading" });
    expect(screen.getByLabelText("Customer backup")).toHaveAttribute("aria-busy", "true");
    expect(buttons()).toEqual([]);
  });

  // Fluent's MessageBar renders its text a moment later (DelayedRender, for screen readers): find, not get.
  it("shows a specific error with Try again when loading failed", async () => {
    const { onRetry } = show({ kind: "failed", error: Object.assign(new Error("x"), { name: "DataverseError", code: "networkError" }) });
    expect(await screen.findByText("The connection to Dynamics 365 failed. Check your network and try again.")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(onRetry).toHaveBeenCalled();
  });

  it("shows the case behind the ticket: number, title, customer, responsible contact, owning agent", () => {
    show(ready(null));
    for (const text of ["CAS-01234-A1B2C3", "Scanner replacement", "Dental Clinic Ltd", "Dana Dentist", "Alex Agent"])
      expect(screen.getByText(text)).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("No backup folder yet");
  });

  it("offers only Prepare folder before there is a folder", () => {
    const { onAction } = show(ready(null));
    expect(buttons()).toEqual(["Prepare folder"]);
    expect(
      screen.getByText(/Prepare the folder first: it is named after the case number, under Customer Data Migration/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Prepare folder" }));
    expect(onAction).toHaveBeenCalledWith("prepareFolder");
  });

  it("offers nothing to an agent and says who does it", () => {
    show(ready(null, agent));
    expect(buttons()).toEqual([]);
    expect(screen.getByText("Only the service team prepares folders, uploads backups and notifies support.")).toBeInTheDocument();
  });

  it("offers no new folder on a resolved case", () => {
    show(ready(null, specialist, {}, aCase({ active: false })));
    expect(buttons()).toEqual([]);
    expect(screen.getByText(/The case is resolved or cancelled/)).toBeInTheDocument();
  });

  it.each(["javascript:alert(document.cookie)", "https://contoso.sharepoint.com.evil.com/x", "http://contoso.sharepoint.com/x"])(
    "shows the folder as plain text, with no link, when its web URL is %p",
    (webUrl) => {
      show(ready(exchange({ webUrl })));
      expect(screen.getByText("Customer Data Migration/CAS-01234-A1B2C3").closest("a")).toBeNull();
      expect(document.querySelector("[href]")).toBeNull();
    },
  );

  it("offers Upload backup on a new folder and explains when Notify Support comes", () => {
    show(ready(exchange()));
    expect(buttons()).toEqual(["Upload backup"]);
    expect(screen.getByRole("status")).toHaveTextContent("Backup being prepared");
    expect(screen.getByRole("link", { name: "Customer Data Migration/CAS-01234-A1B2C3" })).toHaveAttribute(
      "href",
      "https://contoso.sharepoint.com/sites/files/Shared%20Documents/Customer%20Data%20Migration/CAS-01234-A1B2C3",
    );
    expect(screen.getByText("No files uploaded yet")).toBeInTheDocument();
    expect(screen.getByText(/Notify Support becomes available once at least one file is uploaded/)).toBeInTheDocument();
    expect(screen.getByText("22 December 2026")).toBeInTheDocument();
  });

  it("says which uploads were not finished, with how far each got, and resumes through Upload backup", async () => {
    const state = ready(exchange({ driveId: "d1", itemId: "i1" }));
    if (state.kind !== "ready") throw new Error("not ready");
    const GB = 1024 ** 3;
    const model = { ...state.model, unfinished: [{ name: "backup.zip", size: 5 * GB, bytesDone: 2.1 * GB }] };
    const { onAction } = show({ ...state, model });
    expect(await screen.findByTestId("unfinished-uploads")).toHaveTextContent(
      "1 upload was not finished: backup.zip (2.1 GB of 5 GB). Resume picks up where it stopped: choose the same file again.",
    );
    expect(screen.getByText("No files uploaded yet")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Resume" }));
    expect(onAction).toHaveBeenCalledWith("uploadBackup");
  });

  it("says nothing about uploads when none was left unfinished", () => {
    show(ready(exchange()));
    expect(screen.queryByTestId("unfinished-uploads")).toBeNull();
  });

  it("offers Notify Support as the next step once files are stored", () => {
    const { onAction } = show(ready(exchange({ fileCount: 2, totalBytes: 3 * 1024 ** 3 })));
    expect(buttons()).toEqual(["Upload backup", "Notify Support"]);
    expect(screen.getByText("2 files, 3 GB")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Notify Support" }));
    expect(onAction).toHaveBeenCalledWith("notifySupport");
  });

  it("shows a backup that is ready and notified, with more uploads still possible", () => {
    show(ready(exchange({ stage: ExchangeStage.backupReady, fileCount: 1, totalBytes: 10, readyOn: now, notifiedOn: now })));
    expect(screen.getByRole("status")).toHaveTextContent("Backup ready, support notified");
    expect(buttons()).toEqual(["Upload backup"]);
    expect(screen.getByText(/Support was notified on/)).toBeInTheDocument();
  });

  it("offers nothing once the backup is shared", () => {
    show(ready(exchange({ stage: ExchangeStage.shared, fileCount: 1, totalBytes: 10 })));
    expect(buttons()).toEqual([]);
    expect(screen.getByRole("status")).toHaveTextContent("Shared with the customer");
  });

  it("shows an exchange kept with no expiry", () => {
    show(ready(exchange({ expiresOn: null })));
    expect(screen.getByText("Kept with no expiry")).toBeInTheDocument();
  });

  it("disables the actions and says what runs while one is busy", () => {
    show(ready(exchange({ fileCount: 1, totalBytes: 5 }), specialist, { busy: "notifySupport" }));
    expect(screen.getByRole("button", { name: /Notifying support/ })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Upload backup" })).toBeDisabled();
  });

  it("shows what happened and a pending e-mail as notices", async () => {
    show(
      ready(exchange(), specialist, {
        notices: [
          { tone: "success", text: "Support is notified." },
          { tone: "warning", text: "The e-mail is waiting." },
        ],
      }),
    );
    expect(await screen.findByText("Support is notified.")).toBeInTheDocument();
    expect(await screen.findByText("The e-mail is waiting.")).toBeInTheDocument();
  });

  it("shows an action's validation error as its sentence", async () => {
    show(
      ready(null, specialist, {
        error: Object.assign(new Error('The case number "CAS/1" contains a path separator.'), {
          name: "ValidationError",
          code: "namePathSeparator",
        }),
      }),
    );
    expect(await screen.findByText('The case number "CAS/1" contains a path separator.')).toBeInTheDocument();
  });
});

describe("TicketPanelApp", () => {
  const props = (p = ports()) => ({
    ports: p,
    ticket,
    user: specialist,
    appUrl: "https://org.example",
    openUpload: jest.fn(async () => undefined),
  });

  it("prepares the folder and shows it", async () => {
    const p = ports();
    render(
      <PanelRoot locale="en-GB">
        <TicketPanelApp {...props(p)} />
      </PanelRoot>,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Prepare folder" }));
    expect(await screen.findByText("The folder Customer Data Migration/CAS-01234-A1B2C3 was created.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Upload backup" })).toBeEnabled();
    expect(p.crm.exchanges).toHaveLength(1);
  });

  it("tells the host when an action ended, so the form's timeline shows the new notes", async () => {
    const onActionEnded = jest.fn();
    render(
      <PanelRoot locale="en-GB">
        <TicketPanelApp {...props()} onActionEnded={onActionEnded} />
      </PanelRoot>,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Prepare folder" }));
    await screen.findByText("The folder Customer Data Migration/CAS-01234-A1B2C3 was created.");
    expect(onActionEnded).toHaveBeenCalledTimes(1);
  });

  it("shows the refusal of a case number that cannot be a folder name and creates nothing", async () => {
    const p = ports();
    p.crm.kase = aCase({ number: "CAS:1" });
    render(
      <PanelRoot locale="en-GB">
        <TicketPanelApp {...props(p)} />
      </PanelRoot>,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Prepare folder" }));
    expect(await screen.findByText(/The case number "CAS:1" contains ":", which SharePoint does not allow/)).toBeInTheDocument();
    expect(p.library.created).toEqual([]);
  });

  it("opens the upload dialog for the exchange and reloads when it closes", async () => {
    const p = ports();
    await prepareFolder(p, ticket, specialist);
    const pr = props(p);
    render(
      <PanelRoot locale="en-GB">
        <TicketPanelApp {...pr} />
      </PanelRoot>,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Upload backup" }));
    await waitFor(() => expect(pr.openUpload).toHaveBeenCalledWith(expect.objectContaining({ id: p.crm.exchanges[0].id })));
  });

  it("notifies support once from the command bar and the button together, and says the e-mail is pending", async () => {
    const crm = new FakeCrm();
    crm.mailboxApproved = false;
    const p = ports(crm);
    const { exchange: ex } = await prepareFolder(p, ticket, specialist);
    await crm.addReceipt({ id: "f-a", exchangeId: ex.id, path: "a.bin", size: 5, integrity: FileIntegrity.verified, uploadedOn: now });
    await crm.updateExchange(ex.id, { fileCount: 1, totalBytes: 5 });
    let commandBar: (() => Promise<void>) | undefined;
    render(
      <PanelRoot locale="en-GB">
        <TicketPanelApp {...props(p)} registerNotify={(fn) => (commandBar = fn)} />
      </PanelRoot>,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Notify Support" }));
    await act(async () => {
      await commandBar?.();
    });
    expect(await screen.findByText("Support is notified: Alex Agent has an in-app notification and an e-mail.")).toBeInTheDocument();
    expect(await screen.findByText(/The e-mail to Alex Agent is waiting in Dynamics 365/)).toBeInTheDocument();
    expect(crm.notifications).toHaveLength(1);
    expect(crm.emails).toHaveLength(1);
  });

  it("with Teams wanting consent, warns, and sends the Teams message once after the sign-in from the notice's button", async () => {
    const crm = new FakeCrm();
    const teams = new FakeTeams();
    teams.refuse = new TokenError("interactionRequired", "Sign in to SharePoint to continue.");
    const p = { ...ports(crm), settings: { ...settings, teamsFollowUp: true }, teams };
    const { exchange: ex } = await prepareFolder(p, ticket, specialist);
    await crm.addReceipt({ id: "f-a", exchangeId: ex.id, path: "a.bin", size: 5, integrity: FileIntegrity.verified, uploadedOn: now });
    await crm.updateExchange(ex.id, { fileCount: 1, totalBytes: 5 });
    const signInTeams = jest.fn(async () => {
      teams.refuse = undefined;
    });
    render(
      <PanelRoot locale="en-GB">
        <TicketPanelApp {...props(p)} signInTeams={signInTeams} />
      </PanelRoot>,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Notify Support" }));
    expect(await screen.findByText(/Teams message not sent: Teams needs you to sign in and allow the app/)).toBeInTheDocument();
    expect(crm.notifications).toHaveLength(1);
    fireEvent.click(screen.getByRole("button", { name: "Sign in and send the Teams message" }));
    expect(await screen.findByText("Alex Agent also has a Teams message from you with a link to the case.")).toBeInTheDocument();
    expect(signInTeams).toHaveBeenCalledTimes(1);
    expect(teams.sent).toHaveLength(1);
    expect(screen.queryByRole("button", { name: "Sign in and send the Teams message" })).not.toBeInTheDocument();
  });

  it("shows Teams' refusal as a warning beside the notification's success", async () => {
    const crm = new FakeCrm();
    const teams = new FakeTeams();
    teams.refuse = Object.assign(new Error("Teams chat is turned off for the organization's users. (403 Forbidden)"), {
      name: "GraphError",
      code: "Forbidden",
      status: 403,
    });
    const p = { ...ports(crm), settings: { ...settings, teamsFollowUp: true }, teams };
    const { exchange: ex } = await prepareFolder(p, ticket, specialist);
    await crm.addReceipt({ id: "f-a", exchangeId: ex.id, path: "a.bin", size: 5, integrity: FileIntegrity.verified, uploadedOn: now });
    await crm.updateExchange(ex.id, { fileCount: 1, totalBytes: 5 });
    render(
      <PanelRoot locale="en-GB">
        <TicketPanelApp {...props(p)} />
      </PanelRoot>,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Notify Support" }));
    expect(await screen.findByText("Support is notified: Alex Agent has an in-app notification and an e-mail.")).toBeInTheDocument();
    expect(
      screen.getByText(
        "Teams refused the message to Alex Agent: Teams chat is turned off for the organization's users. (403 Forbidden). The notification and the e-mail reached them.",
      ),
    ).toBeInTheDocument();
  });

  it("lists the folder's files from SharePoint after it paints, with a warning on a file flagged as malware that does not count", async () => {
    const crm = new FakeCrm();
    const p = ports(crm);
    const { exchange: ex } = await prepareFolder(p, ticket, specialist);
    await crm.addReceipt({ id: "f-a", exchangeId: ex.id, path: "setup.exe", size: 5, integrity: FileIntegrity.verified, uploadedOn: now });
    await crm.updateExchange(ex.id, { fileCount: 1, totalBytes: 5 });
    p.library.files.set(`${ex.folderPath}/setup.exe`, {
      itemId: "file-setup",
      name: "setup.exe",
      path: "setup.exe",
      size: 5,
      createdOn: now,
      modifiedOn: now,
      webUrl: "https://sp.example/setup.exe",
      folderPath: ex.folderPath,
      malware: { description: "Win32/EICAR_Test_File" },
    });
    render(
      <PanelRoot locale="en-GB">
        <TicketPanelApp {...props(p)} />
      </PanelRoot>,
    );
    // The receipt's row paints first; the listing that carries SharePoint's flag, and the notices
    // drawn from it, arrive in later renders.
    await waitFor(() => {
      const row = screen.getByText("setup.exe").closest("tr")!;
      expect(row).toHaveAttribute("data-malware", "true");
      expect(row).toHaveTextContent("Malware detected by SharePoint");
      expect(row).toHaveTextContent("Win32/EICAR_Test_File · Not counted, not offered for download");
      expect(row.querySelector("a")).toBeNull();
      expect(screen.getByText("No files uploaded yet")).toBeInTheDocument();
      expect(screen.getByText("1 flagged as malware, not counted")).toBeInTheDocument();
      expect(screen.getByText(/SharePoint flagged 1 file in the folder as malware/)).toBeInTheDocument();
      expect(screen.getByText(/once the folder holds a file SharePoint did not flag as malware/)).toBeInTheDocument();
    });
    expect(buttons()).not.toContain("Notify Support");
  });

  const readyToNotify = async (crm: FakeCrm) => {
    const p = ports(crm);
    const { exchange: ex } = await prepareFolder(p, ticket, specialist);
    await crm.addReceipt({ id: "f-a", exchangeId: ex.id, path: "a.bin", size: 5, integrity: FileIntegrity.verified, uploadedOn: now });
    await crm.updateExchange(ex.id, { fileCount: 1, totalBytes: 5 });
    render(
      <PanelRoot locale="en-GB">
        <TicketPanelApp {...props(p)} />
      </PanelRoot>,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Notify Support" }));
    return p;
  };

  it("says which team's members were told when a team owns the case", async () => {
    const crm = new FakeCrm();
    crm.kase = aCase({ ownerId: "team-1", ownerName: "Tier 2 Support", ownerIsTeam: true });
    crm.teams.set("team-1", [
      { id: "m-1", name: "Al Adams" },
      { id: "m-2", name: "Bo Brown" },
    ]);
    await readyToNotify(crm);
    expect(
      await screen.findByText('Support is notified: the 2 members of team "Tier 2 Support" have an in-app notification and an e-mail.'),
    ).toBeInTheDocument();
  });

  it("says plainly that nobody could be notified when the owning team has no members, and offers Notify Support again", async () => {
    const crm = new FakeCrm();
    crm.kase = aCase({ ownerId: "team-1", ownerName: "Tier 2 Support", ownerIsTeam: true });
    crm.teams.set("team-1", []);
    await readyToNotify(crm);
    expect(
      await screen.findByText(/Nobody was notified: the case is owned by team "Tier 2 Support", which has no members in Dynamics 365\./),
    ).toBeInTheDocument();
    expect(screen.getByText(/The backup is marked ready/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Notify Support" })).toBeEnabled();
  });

  it("refreshes in place when the form hands over again, showing what changed", async () => {
    const p = ports();
    let reload: (() => void) | undefined;
    render(
      <PanelRoot locale="en-GB">
        <TicketPanelApp {...props(p)} registerReload={(fn) => (reload = fn)} />
      </PanelRoot>,
    );
    await screen.findByRole("button", { name: "Prepare folder" });
    await prepareFolder(p, ticket, specialist);
    act(() => reload?.());
    expect(await screen.findByRole("button", { name: "Upload backup" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Prepare folder" })).toBeNull();
  });
});

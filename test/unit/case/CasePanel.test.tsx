/** @jest-environment jsdom */
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import type { CasePanelState } from "../../../src/app/casePanelSession";
import { casePanelView } from "../../../src/app/casePanelView";
import type { CasePanelModel } from "../../../src/app/loadCasePanel";
import { shareDraft } from "../../../src/app/shareDraft";
import { ShareRefusedError } from "../../../src/app/ShareRefusedError";
import { DataverseError } from "../../../src/adapters/xrm/DataverseError";
import { ExchangeStage, FileIntegrity, IncidentState } from "../../../src/model";
import { TokenError } from "../../../src/ports/TokenProvider";
import { CasePanel, type CasePanelProps } from "../../../src/ui/case/CasePanel";
import { PanelRoot } from "../../../src/ui/common/PanelRoot";
import { agent, backupExchange, caseRecord, exchangeRecord, NOW, recipient, settings, supervisor } from "./fakes";

function model(over: Partial<CasePanelModel> = {}): CasePanelModel {
  return { case: caseRecord, exchanges: [exchangeRecord(backupExchange())], folders: new Map(), loadedAt: NOW, ...over };
}

function ready(m: CasePanelModel = model(), actor = agent, extra: Partial<CasePanelState> = {}): CasePanelState {
  return { load: { kind: "ready", model: m, view: casePanelView(m, actor, NOW, settings) }, ...extra };
}

function setup(state: CasePanelState, over: Partial<CasePanelProps> = {}, locale = "en-GB") {
  const props: CasePanelProps = {
    state,
    contactUrl: (id) => `https://org.example/main.aspx?pagetype=entityrecord&etn=contact&id=${id}`,
    onRefresh: jest.fn(),
    loadDraft: jest.fn(async (target) =>
      shareDraft(settings, {
        caseRecord,
        exchange: target.kind === "share" ? backupExchange() : undefined,
        language: "en",
        now: NOW,
      }),
    ),
    onShare: jest.fn(async () => undefined),
    onCopyLink: jest.fn(),
    onRevoke: jest.fn(),
    onRemove: jest.fn(),
    onRetryNotes: jest.fn(),
    onDismiss: jest.fn(),
    onSignIn: jest.fn(),
    ...over,
  };
  const r = render(
    <PanelRoot locale={locale} timeZone="UTC">
      <CasePanel {...props} />
    </PanelRoot>,
  );
  return { ...r, props };
}

const button = (name: string) => screen.queryByRole("button", { name });

describe("CasePanel", () => {
  it("shows a skeleton of the same shape while loading", async () => {
    setup({ load: { kind: "loading" } });
    expect(screen.getByRole("status", { name: "Loading…" })).toBeTruthy();
  });

  it("shows the case number, the responsible contact with a link and the contact's address", async () => {
    setup(ready());
    expect(screen.getByRole("heading", { level: 1 }).textContent).toContain("CAS-01234-A1B2C3");
    const link = screen.getByRole("link", { name: "Open the contact Ana Berg" });
    expect(link.getAttribute("href")).toContain("etn=contact&id=k1");
    expect(screen.getByText("ana@clinic.example")).toBeTruthy();
  });

  it("offers exactly the agent's actions on a backup ready to share, with the issue's labels", async () => {
    setup(ready());
    expect(screen.getByText("Ready to share with the customer")).toBeTruthy();
    expect(button("Share with customer")).toBeTruthy();
    expect(button("Copy link")).toBeTruthy();
    expect(button("Remove now")).toBeTruthy();
    expect(button("Request files")).toBeTruthy();
    expect(button("Revoke access")).toBeNull();
  });

  it("offers nothing to a supervisor", async () => {
    setup(ready(model(), supervisor));
    for (const name of ["Share with customer", "Copy link", "Remove now", "Request files", "Revoke access"])
      expect(button(name)).toBeNull();
  });

  it("shows the expiry date, the days left and the files with size, uploader, date and integrity", async () => {
    const x = backupExchange({ stage: ExchangeStage.shared });
    const receipts = [
      {
        id: "a",
        exchangeId: "x1",
        path: "backup.zip",
        size: 1610612736,
        integrity: FileIntegrity.verified,
        uploadedOn: new Date("2026-11-20T12:00:00Z"),
        uploadedByName: "Sam Specialist",
      },
      {
        id: "b",
        exchangeId: "x1",
        path: "notes.docx",
        size: 2048,
        integrity: FileIntegrity.modifiedBySharePoint,
        uploadedOn: new Date("2026-11-20T12:00:00Z"),
        uploadedByName: "Sam Specialist",
      },
    ];
    setup(ready(model({ exchanges: [exchangeRecord(x, [recipient()], { receipts })] })));
    expect(screen.getByText(/Deleted on 20 December 2026 · 28 days left/)).toBeTruthy();
    const files = screen.getByRole("table", { name: /Files/ });
    expect(within(files).getByText("backup.zip")).toBeTruthy();
    expect(within(files).getByText("1.5 GB")).toBeTruthy();
    expect(within(files).getAllByText("Sam Specialist")).toHaveLength(2);
    expect(within(files).getByText("Verified")).toBeTruthy();
    expect(within(files).getByText("Stored, modified by SharePoint")).toBeTruthy();
  });

  it("lists who has access with their right, when and by whom they were invited, and Revoke access per person", async () => {
    setup(ready(model({ exchanges: [exchangeRecord(backupExchange({ stage: ExchangeStage.shared }), [recipient()])] })));
    const access = screen.getByRole("table", { name: /Who has access/ });
    expect(within(access).getByText("ana@clinic.example")).toBeTruthy();
    expect(within(access).getByText(/Can edit/)).toBeTruthy();
    expect(within(access).getByText("21 Nov 2026")).toBeTruthy();
    expect(within(access).getByText("Alex Agent")).toBeTruthy();
    expect(within(access).getByRole("button", { name: "Revoke access" })).toBeTruthy();
  });

  it("formats dates and sizes in the user's language", async () => {
    const receipts = [
      {
        id: "a",
        exchangeId: "x1",
        path: "backup.zip",
        size: 1610612736,
        integrity: FileIntegrity.verified,
        uploadedOn: new Date("2026-11-20T12:00:00Z"),
      },
    ];
    setup(ready(model({ exchanges: [exchangeRecord(backupExchange(), [], { receipts })] })), {}, "de-DE");
    expect(screen.getByText("1,5 GB")).toBeTruthy();
    expect(screen.getByText(/20\. Dezember 2026/)).toBeTruthy();
  });

  it("warns in colour when the folder expires within the warning days", async () => {
    setup(ready(model({ exchanges: [exchangeRecord(backupExchange({ expiresOn: new Date("2026-11-24T10:00:00Z") }))] })));
    const line = screen.getByText(/2 days left/);
    expect(line.closest("[data-tone]")?.getAttribute("data-tone")).toBe("warning");
  });

  it("says a folder kept with no expiry is kept", async () => {
    setup(ready(model({ exchanges: [exchangeRecord(backupExchange({ expiresOn: null }))] })));
    expect(screen.getByText("Kept with no expiry")).toBeTruthy();
  });

  it("says the backup is being prepared, and by whom and which ticket, without offering to share", async () => {
    setup(ready(model({ exchanges: [exchangeRecord(backupExchange({ stage: ExchangeStage.folderCreated }))] })));
    expect(screen.getByText("Being prepared by Sam Specialist (HWT-00012)")).toBeTruthy();
    expect(button("Share with customer")).toBeNull();
  });

  it("says when there is no backup folder yet", async () => {
    setup(ready(model({ exchanges: [] })));
    expect(screen.getByText(/No backup folder yet/)).toBeTruthy();
  });

  it("warns when the case has no contact, or the contact has no e-mail", async () => {
    const { unmount } = setup(ready(model({ case: { ...caseRecord, contact: null } })));
    expect(await screen.findByText(/This case has no responsible contact/)).toBeTruthy();
    unmount();
    setup(ready(model({ case: { ...caseRecord, contact: { id: "k1", name: "Ana Berg", email: null } } })));
    expect(await screen.findByText(/The contact Ana Berg has no e-mail address/)).toBeTruthy();
  });

  it("names both addresses when the contact's e-mail changed after sharing, with Revoke access for the old one", async () => {
    const { props } = setup(
      ready(
        model({
          case: { ...caseRecord, contact: { id: "k1", name: "Ana Berg", email: "ana.berg@newclinic.example" } },
          exchanges: [exchangeRecord(backupExchange({ stage: ExchangeStage.shared }), [recipient()])],
        }),
      ),
    );
    const bar = await screen.findByText(
      /The case's contact is now ana.berg@newclinic.example, but the folder is still shared with ana@clinic.example/,
    );
    const revoke = within(bar.closest(".ms-MessageBar") as HTMLElement).getByRole("button", { name: "Revoke access" });
    fireEvent.click(revoke);
    const dialog = await screen.findByRole("alertdialog");
    fireEvent.click(within(dialog).getByRole("button", { name: "Revoke access" }));
    expect(props.onRevoke).toHaveBeenCalledWith("x1", "r1");
  });

  it("on a resolved case shows everything, says why, and offers only revoking and removing", async () => {
    setup(
      ready(
        model({
          case: { ...caseRecord, state: IncidentState.resolved, statusLabel: "Problem Solved" },
          exchanges: [exchangeRecord(backupExchange({ stage: ExchangeStage.shared }), [recipient()])],
        }),
      ),
    );
    expect(await screen.findByText(/This case is problem solved/)).toBeTruthy();
    expect(button("Share with customer")).toBeNull();
    expect(button("Request files")).toBeNull();
    expect(button("Revoke access")).toBeTruthy();
    expect(button("Remove now")).toBeTruthy();
  });

  it("says plainly when the agent has no access to the SharePoint library, and how to request it", async () => {
    setup(ready(model({ libraryError: { name: "GraphError", code: "accessDenied", status: 403, message: "Access denied" } })));
    expect(await screen.findByText(/You have no access to the SharePoint library/)).toBeTruthy();
    expect(await screen.findByText(/select Request access/)).toBeTruthy();
  });

  it("offers Sign in to SharePoint when silent sign-in is not possible", async () => {
    const { props } = setup(ready(model({ libraryError: new TokenError("interactionRequired", "Sign in") })));
    fireEvent.click(screen.getByRole("button", { name: "Sign in to SharePoint" }));
    expect(props.onSignIn).toHaveBeenCalled();
  });

  it("says what failed when the case cannot be read, with Try again", async () => {
    const { props } = setup({ load: { kind: "error", error: new DataverseError("accessDenied", "no", 403) } });
    expect(await screen.findByText(/Your security role does not allow this/)).toBeTruthy();
    expect(button("Try again")).toBeNull(); // not retryable
    const { props: p2 } = setup({ load: { kind: "error", error: new DataverseError("networkError", "down", 0) } });
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(p2.onRefresh).toHaveBeenCalled();
    expect(props.onRefresh).not.toHaveBeenCalled();
  });

  it("names a missing folder", async () => {
    const x = backupExchange();
    setup(
      ready(
        model({
          exchanges: [exchangeRecord(x)],
          folders: new Map([[x.folderPath, { path: x.folderPath, folder: null, files: [], permissions: [] }]]),
        }),
      ),
    );
    expect(await screen.findByText(/The folder is no longer in SharePoint/)).toBeTruthy();
  });

  it("shows SharePoint's throttling as a wait with the seconds", async () => {
    setup(ready(model(), agent, { retryWaitMs: 4000 }));
    expect(await screen.findByText("SharePoint is busy, retrying in 4 s.")).toBeTruthy();
  });

  it("says what a share did, and offers to write the note again when it could not be written", async () => {
    const { props } = setup(
      ready(model(), agent, { outcome: { kind: "shared", email: "ana@clinic.example", alreadyShared: false, notesPending: 2 } }),
    );
    expect(await screen.findByText("Shared with ana@clinic.example. They receive an invitation by e-mail.")).toBeTruthy();
    expect(await screen.findByText(/the note on the timeline could not be written yet/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Write the note again" }));
    expect(props.onRetryNotes).toHaveBeenCalled();
  });

  it("turns a refused invitation into one sentence with what an administrator can change", async () => {
    setup(ready(model(), agent, { actionError: new ShareRefusedError("notAllowed", "ana@clinic.example", "Not allowed") }));
    expect(
      await screen.findByText(/SharePoint refused to invite ana@clinic.example: the tenant does not allow sharing with this address/),
    ).toBeTruthy();
    expect(await screen.findByText(/An administrator can change this/)).toBeTruthy();
  });

  it("copies the link", async () => {
    const { props } = setup(ready());
    fireEvent.click(button("Copy link")!);
    expect(props.onCopyLink).toHaveBeenCalledWith("x1");
  });

  it("asks before Remove now, saying the folder goes to the recycle bin", async () => {
    const { props } = setup(ready());
    fireEvent.click(button("Remove now")!);
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText(/recycle bin for about 93 days/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove now" }));
    expect(props.onRemove).toHaveBeenCalledWith("x1");
  });
});

describe("Share with customer dialog", () => {
  it("prefills the contact, Can edit and the template with the real days, and sends what the agent edited", async () => {
    const { props } = setup(ready());
    fireEvent.click(button("Share with customer")!);
    const dialog = await screen.findByRole("alertdialog");
    const email = within(dialog).getByRole("textbox", { name: /Customer's e-mail/ }) as HTMLInputElement;
    expect(email.value).toBe("ana@clinic.example");
    expect((within(dialog).getByRole("radio", { name: /Can edit/ }) as HTMLInputElement).checked).toBe(true);
    const message = await within(dialog).findByDisplayValue(/within 28 days/);
    fireEvent.change(message, { target: { value: "Kindly upload the files within 28 days. Thanks!" } });
    fireEvent.click(within(dialog).getByRole("radio", { name: /Can view/ }));
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Share" })));
    expect(props.onShare).toHaveBeenCalledWith(
      { kind: "share", exchangeId: "x1" },
      {
        email: "ana@clinic.example",
        role: "read",
        message: "Kindly upload the files within 28 days. Thanks!",
        confirmedOther: undefined,
        reason: undefined,
      },
    );
  });

  it("needs a confirmation and a reason before another address", async () => {
    const { props } = setup(ready());
    fireEvent.click(button("Share with customer")!);
    const dialog = await screen.findByRole("alertdialog");
    await within(dialog).findByDisplayValue(/within 28 days/);
    fireEvent.change(within(dialog).getByRole("textbox", { name: /Customer's e-mail/ }), { target: { value: "it@clinic.example" } });
    const share = within(dialog).getByRole("button", { name: "Share" }) as HTMLButtonElement;
    expect(share.getAttribute("aria-disabled") === "true" || share.disabled).toBe(true);
    fireEvent.click(within(dialog).getByRole("checkbox", { name: /it@clinic.example is not the case's contact/ }));
    fireEvent.change(within(dialog).getByRole("textbox", { name: /Why this address/ }), { target: { value: "Their IT restores it" } });
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Share" })));
    expect(props.onShare).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ email: "it@clinic.example", confirmedOther: true, reason: "Their IT restores it" }),
    );
  });

  it("keeps the dialog open with the reason when SharePoint refuses", async () => {
    setup(ready(), {
      onShare: jest.fn(async () =>
        Promise.reject(new ShareRefusedError("invalidRequest", "ana@clinic.example", "x", "secureSharingInvalidRequest")),
      ),
    });
    fireEvent.click(button("Share with customer")!);
    const dialog = await screen.findByRole("alertdialog");
    await within(dialog).findByDisplayValue(/within 28 days/);
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Share" })));
    expect(await within(dialog).findByText(/cannot be invited securely/)).toBeTruthy();
  });

  it("Request files starts from the upload template with the upload retention", async () => {
    const { props } = setup(ready());
    fireEvent.click(button("Request files")!);
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText(/A folder CAS-01234-A1B2C3 is created/)).toBeTruthy();
    await within(dialog).findByDisplayValue(/within 7 days/);
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Request files" })));
    expect(props.onShare).toHaveBeenCalledWith({ kind: "request" }, expect.objectContaining({ role: "write" }));
  });
});

/** @jest-environment jsdom */
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import type { CasePanelState } from "../../../src/app/casePanelSession";
import { casePanelView } from "../../../src/app/casePanelView";
import type { CasePanelModel } from "../../../src/app/loadCasePanel";
import type { CaseActor } from "../../../src/app/casePorts";
import { ExchangeDirection, ExchangeStage, FileIntegrity, FileStatus } from "../../../src/model";
import type { ReceiptRecord } from "../../../src/ports/CaseReads";
import type { StoredFile } from "../../../src/ports/DocumentLibrary";
import { CasePanel, type CasePanelProps } from "../../../src/ui/case/CasePanel";
import { PanelRoot } from "../../../src/ui/common/PanelRoot";
import { agent, backupExchange, caseRecord, exchangeRecord, folder, NOW, settings } from "./fakes";

const admin: CaseActor = { id: "u-admin", name: "Ada Administrator", roles: ["administrator"] };
const exchange = backupExchange({
  direction: ExchangeDirection.filesFromCustomer,
  stage: ExchangeStage.filesReceived,
  ticketId: undefined,
  expiresOn: new Date("2026-11-27T10:00:00Z"),
});

function file(name: string, over: Partial<StoredFile> = {}): StoredFile {
  const at = new Date("2026-11-21T08:00:00Z");
  return {
    itemId: `item-${name}`,
    name,
    path: name,
    size: 2048,
    quickXorHash: `h-${name}`,
    createdOn: at,
    modifiedOn: at,
    webUrl: `${folder.webUrl}/${name}`,
    ...over,
  };
}

function receipt(name: string, batchId: string, uploadedOn: string, over: Partial<ReceiptRecord> = {}): ReceiptRecord {
  return {
    id: `rc-${name}`,
    exchangeId: exchange.id,
    path: name,
    itemId: `item-${name}`,
    size: 2048,
    quickXorHash: `h-${name}`,
    integrity: FileIntegrity.recordedBySharePoint,
    uploadedOn: new Date(uploadedOn),
    uploader: "tom@northwind.example",
    batchId,
    status: FileStatus.inFolder,
    ...over,
  };
}

function state(actor: CaseActor): CasePanelState {
  const m: CasePanelModel = {
    case: caseRecord,
    exchanges: [
      exchangeRecord(exchange, [], {
        receipts: [
          receipt("first.log", "b1", "2026-11-21T08:05:00Z"),
          receipt("second.png", "b2", "2026-11-22T08:05:00Z", { keptSince: actor === admin ? NOW : undefined }),
          receipt("gone.txt", "b1", "2026-11-21T08:05:00Z", { status: FileStatus.deletedByCustomer }),
        ],
      }),
    ],
    folders: new Map([
      [
        exchange.folderPath,
        {
          path: exchange.folderPath,
          folder,
          files: [file("first.log"), file("second.png"), file("late.txt", { createdBy: "Tom Baker" })],
          permissions: [],
        },
      ],
    ]),
    loadedAt: NOW,
  };
  return { load: { kind: "ready", model: m, view: casePanelView(m, actor, NOW, settings) } };
}

function setup(actor: CaseActor, over: Partial<CasePanelProps> = {}) {
  const props: CasePanelProps = {
    state: state(actor),
    onRefresh: jest.fn(),
    loadDraft: jest.fn(),
    onShare: jest.fn(async () => undefined),
    onCopyLink: jest.fn(),
    onRevoke: jest.fn(),
    onRemove: jest.fn(),
    onRetryNotes: jest.fn(),
    onDismiss: jest.fn(),
    onDownloadFile: jest.fn(),
    onCopyFileLink: jest.fn(),
    onRemoveFile: jest.fn(),
    onChangeFileExpiry: jest.fn(async () => undefined),
    now: () => NOW,
    ...over,
  };
  render(
    <PanelRoot locale="en-GB" timeZone="UTC">
      <CasePanel {...props} />
    </PanelRoot>,
  );
  return props;
}

const row = (name: string) => screen.getAllByRole("row").find((r) => r.getAttribute("data-file") === name)!;

describe("the customer's files in the case panel", () => {
  it("marks the newest batch, a file not checked yet, and counts what is gone", () => {
    setup(agent);
    expect(within(row("second.png")).queryByText("New")).toBeTruthy();
    expect(within(row("first.log")).queryByText("New")).toBeNull();
    expect(within(row("late.txt")).getByText("Not checked yet")).toBeTruthy();
    expect(within(row("late.txt")).getByText("Tom Baker")).toBeTruthy();
    expect(screen.getByText("Not shown: 1 deleted by the customer.")).toBeTruthy();
    expect(screen.getByRole("link", { name: /^Open in SharePoint: the folder / }).getAttribute("target")).toBe("_blank");
  });

  it("opens a file's menu with the agent's actions and downloads from it", async () => {
    const props = setup(agent);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "More actions for first.log" })));
    const menu = await screen.findByRole("menu");
    expect(
      within(menu)
        .getAllByRole("menuitem")
        .map((i) => i.textContent),
    ).toEqual(["Download", "Copy link", "Remove"]);
    await act(async () => fireEvent.click(within(menu).getByRole("menuitem", { name: "Download" })));
    expect(props.onDownloadFile).toHaveBeenCalledWith(exchange.id, "item-first.log");
  });

  it("asks before removing one file, naming it, then removes it", async () => {
    const props = setup(agent);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "More actions for late.txt" })));
    await act(async () => fireEvent.click(within(await screen.findByRole("menu")).getByRole("menuitem", { name: "Remove" })));
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog.textContent).toContain("late.txt is deleted from the folder");
    expect(props.onRemoveFile).not.toHaveBeenCalled();
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Remove" })));
    expect(props.onRemoveFile).toHaveBeenCalledWith(exchange.id, "item-late.txt");
  });

  it("names Remove now Close request on a request for files, and says access goes first", async () => {
    const props = setup(agent);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Close request" })));
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog.textContent).toContain("first everyone outside the organization loses access");
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Close request" })));
    expect(props.onRemove).toHaveBeenCalledWith(exchange.id);
  });

  it("shows an administrator's kept file and offers the file's own date, with a reason", async () => {
    setup(admin);
    expect(within(row("second.png")).getByText("Kept, no expiry")).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "More actions for second.png" })));
    const items = within(await screen.findByRole("menu"))
      .getAllByRole("menuitem")
      .map((i) => i.textContent);
    expect(items).toEqual(["Download", "Copy link", "Set its own expiry", "Remove"]);
    await act(async () => fireEvent.click(screen.getByRole("menuitem", { name: "Set its own expiry" })));
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText("Set the file's own expiry")).toBeTruthy();
    expect(dialog.textContent).toContain("It is kept with no expiry now.");
  });
});

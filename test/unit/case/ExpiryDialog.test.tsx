/** @jest-environment jsdom */
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import type { CaseActor } from "../../../src/app/casePorts";
import type { CasePanelState } from "../../../src/app/casePanelSession";
import { casePanelView } from "../../../src/app/casePanelView";
import type { CasePanelModel } from "../../../src/app/loadCasePanel";
import { shareDraft } from "../../../src/app/shareDraft";
import { ValidationError } from "../../../src/domain/errors";
import { ExchangeStage, IncidentState } from "../../../src/model";
import { CasePanel, type CasePanelProps } from "../../../src/ui/case/CasePanel";
import { expiryOnDay } from "../../../src/ui/case/ExpiryDialog";
import { PanelRoot } from "../../../src/ui/common/PanelRoot";
import { agent, backupExchange, caseRecord, exchangeRecord, NOW, settings } from "./fakes";

const admin: CaseActor = { id: "u-admin", name: "Ada Admin", roles: ["administrator"] };

function ready(exchange = backupExchange(), actor = admin, over: Partial<CasePanelModel> = {}): CasePanelState {
  const m: CasePanelModel = { case: caseRecord, exchanges: [exchangeRecord(exchange)], folders: new Map(), loadedAt: NOW, ...over };
  return { load: { kind: "ready", model: m, view: casePanelView(m, actor, NOW, settings) } };
}

function setup(state: CasePanelState, over: Partial<CasePanelProps> = {}) {
  const props: CasePanelProps = {
    state,
    onRefresh: jest.fn(),
    loadDraft: jest.fn(async () =>
      shareDraft(settings, { caseRecord, exchange: backupExchange({ expiresOn: null }), language: "en", now: NOW }),
    ),
    onShare: jest.fn(async () => undefined),
    onCopyLink: jest.fn(),
    onRevoke: jest.fn(),
    onRemove: jest.fn(),
    onChangeExpiry: jest.fn(async () => undefined),
    now: () => NOW,
    onRetryNotes: jest.fn(),
    onDismiss: jest.fn(),
    ...over,
  };
  render(
    <PanelRoot locale="en-GB" timeZone="UTC">
      <CasePanel {...props} />
    </PanelRoot>,
  );
  return props;
}

const button = (name: string) => screen.queryByRole("button", { name });

async function openDialog(name: string) {
  fireEvent.click(button(name)!);
  return screen.findByRole("alertdialog");
}

describe("Keep with no expiry and Change expiry", () => {
  it("are offered to an administrator", () => {
    setup(ready());
    expect(button("Keep with no expiry")).toBeTruthy();
    expect(button("Change expiry")).toBeTruthy();
  });

  it("are not offered to an agent", () => {
    setup(ready(backupExchange(), agent));
    expect(button("Keep with no expiry")).toBeNull();
    expect(button("Change expiry")).toBeNull();
  });

  it("on a folder already kept offer only Change expiry", () => {
    setup(ready(backupExchange({ expiresOn: null })));
    expect(button("Keep with no expiry")).toBeNull();
    expect(button("Change expiry")).toBeTruthy();
  });

  it("stay on a resolved case, where the exchange row (not the case row) is written", () => {
    setup(ready(backupExchange({ stage: ExchangeStage.shared }), admin, { case: { ...caseRecord, state: IncidentState.resolved } }));
    expect(button("Keep with no expiry")).toBeTruthy();
    expect(button("Share with customer")).toBeNull();
  });

  it("keeps the folder with no expiry with the reason given", async () => {
    const props = setup(ready());
    const dialog = await openDialog("Keep with no expiry");
    expect(within(dialog).getByText(/It is deleted on 20 December 2026 now/)).toBeTruthy();
    expect((within(dialog).getByRole("radio", { name: /Keep with no expiry/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.change(within(dialog).getByRole("textbox", { name: /Reason/ }), { target: { value: "Legal hold" } });
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Save" })));
    expect(props.onChangeExpiry).toHaveBeenCalledWith("x1", { expiresOn: null, reason: "Legal hold" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("changes the expiry to the picked day, at the expiry's time of day", async () => {
    const props = setup(ready());
    const dialog = await openDialog("Change expiry");
    expect((within(dialog).getByRole("radio", { name: /Delete on a date/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(dialog).getByRole("combobox", { name: /New expiry date/ }));
    const [days] = await screen.findAllByRole("grid");
    fireEvent.click(within(days).getByRole("button", { name: /^28, November/ }));
    fireEvent.change(within(dialog).getByRole("textbox", { name: /Reason/ }), { target: { value: "Customer needs a week more" } });
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Save" })));
    const [, request] = (props.onChangeExpiry as jest.Mock).mock.calls[0] as [string, { expiresOn: Date; reason: string }];
    expect(request.reason).toBe("Customer needs a week more");
    expect(request.expiresOn.getDate()).toBe(28);
    expect(request.expiresOn.getMonth()).toBe(10);
    expect(request.expiresOn.getHours()).toBe(new Date("2026-12-20T10:00:00Z").getHours());
  });

  it("asks for a date before saving a change, on the date field", async () => {
    const props = setup(ready());
    const dialog = await openDialog("Change expiry");
    fireEvent.change(within(dialog).getByRole("textbox", { name: /Reason/ }), { target: { value: "x" } });
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Save" })));
    expect(await within(dialog).findByText("Pick the date the folder is deleted on.")).toBeTruthy();
    expect(props.onChangeExpiry).not.toHaveBeenCalled();
  });

  it("shows the domain's sentence on the reason field when the reason is missing, and keeps the dialog open", async () => {
    const props = setup(ready(), {
      onChangeExpiry: jest.fn(async () =>
        Promise.reject(new ValidationError("reasonRequired", "Say why the expiry changes; the reason is noted on the timeline.", "reason")),
      ),
    });
    const dialog = await openDialog("Keep with no expiry");
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Save" })));
    expect(await within(dialog).findByText("Say why the expiry changes; the reason is noted on the timeline.")).toBeTruthy();
    const reason = within(dialog).getByRole("textbox", { name: /Reason/ });
    expect(reason.getAttribute("aria-invalid")).toBe("true");
    expect((reason as HTMLTextAreaElement).required).toBe(true);
    expect(props.onChangeExpiry).toHaveBeenCalledWith("x1", { expiresOn: null, reason: "" });
    expect(screen.getByRole("alertdialog")).toBeTruthy();
  });

  it("shows a date in the past as the domain says it, on the date field", async () => {
    setup(ready(), {
      onChangeExpiry: jest.fn(async () =>
        Promise.reject(
          new ValidationError(
            "expiryInPast",
            "The new expiry must be in the future; use Remove now to delete the folder today.",
            "expiresOn",
          ),
        ),
      ),
    });
    const dialog = await openDialog("Change expiry");
    fireEvent.click(within(dialog).getByRole("combobox", { name: /New expiry date/ }));
    const [days] = await screen.findAllByRole("grid");
    fireEvent.click(within(days).getByRole("button", { name: /^22, November/ }));
    fireEvent.change(within(dialog).getByRole("textbox", { name: /Reason/ }), { target: { value: "x" } });
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Save" })));
    expect(await within(dialog).findByText(/must be in the future/)).toBeTruthy();
  });

  it("says what happened afterwards", async () => {
    setup({ ...ready(), outcome: { kind: "kept", notesPending: 0 } });
    expect(await screen.findByText("The folder is kept with no expiry; the reason is on the timeline.")).toBeTruthy();
  });

  it("puts the picked day at the expiry's time of day", () => {
    const at = new Date(2026, 0, 1, 14, 30);
    const out = expiryOnDay(new Date(2027, 1, 3), at);
    expect([out.getFullYear(), out.getMonth(), out.getDate(), out.getHours(), out.getMinutes()]).toEqual([2027, 1, 3, 14, 30]);
  });
});

describe("Share dialog on a folder kept with no expiry", () => {
  it("says the message speaks of a deletion date and lets the administrator edit it before sending", async () => {
    const props = setup(ready(backupExchange({ expiresOn: null })));
    const dialog = await openDialog("Share with customer");
    const message = (await within(dialog).findByRole("textbox", { name: /Message/ })) as HTMLTextAreaElement;
    await within(dialog).findByText(/kept with no expiry, but the message speaks of a deletion date/);
    const share = within(dialog).getByRole("button", { name: "Share" }) as HTMLButtonElement;
    expect(share.getAttribute("aria-disabled") === "true" || share.disabled).toBe(true);
    expect(message.getAttribute("aria-invalid")).toBe("true");
    fireEvent.change(message, { target: { value: "Your backup is in the folder; it stays there until we tell you." } });
    expect(within(dialog).queryByText(/speaks of a deletion date/)).toBeNull();
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Share" })));
    expect(props.onShare).toHaveBeenCalledWith(
      { kind: "share", exchangeId: "x1" },
      expect.objectContaining({ message: "Your backup is in the folder; it stays there until we tell you." }),
    );
  });
});

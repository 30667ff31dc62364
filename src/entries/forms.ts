/**
 * Form scripts, exposed as `cfx.CaseForm.*` and `cfx.TicketForm.*` (webpack `var` library).
 * They only connect the form to its panel; everything else happens in the panel.
 */
import { panelControls } from "../model/webresources";
import type { PanelWindow } from "./panelBridge";

/** Hands Xrm and the form context to the panel in the named web resource control. Idempotent. */
async function connectPanel(formContext: Xrm.FormContext, controlName: string): Promise<PanelWindow | undefined> {
  const control = formContext.getControl<Xrm.Controls.IframeControl>(controlName);
  if (!control || typeof control.getContentWindow !== "function") return undefined;
  const win = (await control.getContentWindow()) as PanelWindow;
  const hand = () => win.setClientApiContext?.(Xrm, formContext);
  if (typeof win.setClientApiContext === "function") hand();
  // The frame may still be loading its scripts: hand over once it has.
  else win.addEventListener("load", hand, { once: true });
  return win;
}

function wire(executionContext: Xrm.Events.EventContext, controlName: string): void {
  const formContext = executionContext.getFormContext();
  const connect = () => void connectPanel(formContext, controlName);
  connect();
  // The form may destroy and re-create the frame when tabs change; the page re-renders after a save.
  formContext.ui.tabs.forEach((tab) => tab.addTabStateChange(connect));
  formContext.data.entity.addOnPostSave(connect);
}

export const CaseForm = {
  /** OnLoad of the Case form: connects the Case File Exchange panel. */
  onLoad(executionContext: Xrm.Events.EventContext): void {
    wire(executionContext, panelControls.case.controlName);
  },
};

export const TicketForm = {
  /** OnLoad of the Hardware Ticket form: connects the panel. */
  onLoad(executionContext: Xrm.Events.EventContext): void {
    wire(executionContext, panelControls.ticket.controlName);
  },

  /** The Notify Support command (ribbon, PrimaryControl = the form context): runs in the panel. */
  async notifySupport(primaryControl: Xrm.FormContext): Promise<void> {
    const win = await connectPanel(primaryControl, panelControls.ticket.controlName);
    const notify = win?.cfxPanelCommands?.notifySupport;
    if (!notify) {
      await Xrm.Navigation.openAlertDialog({
        title: "Notify Support",
        text: "The Case File Exchange panel is not loaded on this form yet. Open the tab that holds it and try again.",
      });
      return;
    }
    await notify();
  },
};

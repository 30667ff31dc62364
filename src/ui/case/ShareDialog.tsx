import { DefaultButton, PrimaryButton } from "@fluentui/react/lib/Button";
import { Checkbox } from "@fluentui/react/lib/Checkbox";
import { ChoiceGroup } from "@fluentui/react/lib/ChoiceGroup";
import { Dialog, DialogFooter, DialogType } from "@fluentui/react/lib/Dialog";
import { Label } from "@fluentui/react/lib/Label";
import { MessageBar, MessageBarType } from "@fluentui/react/lib/MessageBar";
import { Spinner, SpinnerSize } from "@fluentui/react/lib/Spinner";
import { TextField } from "@fluentui/react/lib/TextField";
import { useEffect, useId, useRef, useState } from "react";
import { keptMessageProblem, type ShareDraft } from "../../app/shareDraft";
import type { ShareRequest } from "../../app/shareWithCustomer";
import { MAX_MESSAGE_LENGTH } from "../../domain/shareMessage";
import type { AccessRole } from "../../ports/DocumentLibrary";
import { ErrorBar } from "../common/ErrorBar";
import { revealFixed } from "../common/reveal";
import { commonStrings, fill } from "../common/strings";
import { caseStrings as s } from "./strings";
import { classes } from "./styles";

export interface ShareDialogProps {
  readonly mode: "share" | "request";
  readonly folder: string;
  /** The contact's address, prefilled; another address needs a confirmation and a reason. */
  readonly contactEmail?: string;
  /** The filled message for a language. */
  readonly loadDraft: (language?: string) => Promise<ShareDraft>;
  readonly onSubmit: (request: ShareRequest) => Promise<void>;
  readonly onDismiss: () => void;
}

const languageNames = (code: string): string => {
  try {
    return new Intl.DisplayNames([code, "en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
};

/** Share with customer / Request files: address, access, language and the editable message. */
export function ShareDialog({ mode, folder, contactEmail, loadDraft, onSubmit, onDismiss }: ShareDialogProps) {
  const [email, setEmail] = useState(contactEmail ?? "");
  const [confirmed, setConfirmed] = useState(false);
  const [reason, setReason] = useState("");
  const [role, setRole] = useState<AccessRole>("write");
  const [draft, setDraft] = useState<ShareDraft | undefined>();
  const [message, setMessage] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>();
  const languageId = useId();
  const revealed = useRef(false);
  // The panel's frame can be taller than what the form shows of it: once the dialog is on screen,
  // bring all of it into view (this scrolls the form around the frame), so its buttons are never
  // below the fold. Fluent mounts the dialog in a layer after this component, hence a callback ref.
  const reveal = (el: HTMLDivElement | null) => {
    if (!el || revealed.current) return;
    revealed.current = true;
    // After Fluent's layout pass, when the dialog has its final size and place.
    requestAnimationFrame(() => revealFixed(el.closest(".ms-Dialog-main") ?? el));
  };

  const pick = (language?: string) =>
    loadDraft(language).then(
      (d) => {
        setDraft(d);
        setMessage(d.message);
      },
      (e: unknown) => setError(e),
    );
  useEffect(() => {
    void pick();
    // The first draft only: later ones come from the language picker.
  }, []);

  const other = email.trim() !== "" && email.trim().toLowerCase() !== (contactEmail ?? "").trim().toLowerCase();
  const submit = async () => {
    setSending(true);
    setError(undefined);
    try {
      await onSubmit({
        email: email.trim(),
        role,
        message,
        confirmedOther: other ? confirmed : undefined,
        reason: other ? reason : undefined,
      });
    } catch (e) {
      setError(e);
      setSending(false);
    }
  };
  // Kept with no expiry: the template's deletion date must be edited out before it can be sent.
  const keptProblem = draft ? keptMessageProblem(message, draft.expiresOn) : null;
  const ready = !!draft && !keptProblem && email.trim() !== "" && message.trim() !== "" && (!other || (confirmed && reason.trim() !== ""));
  const title = mode === "share" ? s.shareDialog.titleShare : s.shareDialog.titleRequest;

  return (
    <Dialog
      hidden={false}
      onDismiss={sending ? undefined : onDismiss}
      minWidth={480}
      maxWidth={560}
      dialogContentProps={{
        type: DialogType.normal,
        title,
        subText: fill(mode === "share" ? s.shareDialog.subtitleShare : s.shareDialog.subtitleRequest, { folder }),
        closeButtonAriaLabel: commonStrings.close,
      }}
      modalProps={{ isBlocking: true }}
    >
      <div className={classes.dialogFields} ref={reveal}>
        {error ? <ErrorBar error={error} /> : null}
        <TextField
          label={s.shareDialog.email}
          type="email"
          required
          value={email}
          onChange={(_, v) => setEmail(v ?? "")}
          autoComplete="off"
          disabled={sending}
        />
        {other ? (
          <>
            <Checkbox
              label={fill(s.shareDialog.otherAddress, { email: email.trim() })}
              checked={confirmed}
              onChange={(_, v) => setConfirmed(!!v)}
              disabled={sending}
            />
            <TextField
              label={s.shareDialog.reason}
              required
              placeholder={s.shareDialog.reasonPlaceholder}
              value={reason}
              onChange={(_, v) => setReason(v ?? "")}
              disabled={sending || !confirmed}
            />
          </>
        ) : null}
        <ChoiceGroup
          label={s.shareDialog.access}
          selectedKey={role}
          onChange={(_, o) => o && setRole(o.key as AccessRole)}
          disabled={sending}
          options={[
            { key: "write", text: s.shareDialog.canEditHint },
            { key: "read", text: s.shareDialog.canViewHint },
          ]}
          styles={{ flexContainer: { display: "flex", gap: 16, flexWrap: "wrap" } }}
        />
        {draft && draft.languages.length > 1 ? (
          // A native select: Fluent's Dropdown brings Callout and Panel, ~20 KB gzipped, for one list.
          <div>
            <Label htmlFor={languageId}>{s.shareDialog.language}</Label>
            <select
              id={languageId}
              className={classes.select}
              value={draft.language}
              onChange={(e) => void pick(e.target.value)}
              disabled={sending}
            >
              {draft.languages.map((l) => (
                <option key={l} value={l}>
                  {languageNames(l)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <TextField
          label={s.shareDialog.message}
          multiline
          rows={4}
          required
          value={message}
          onChange={(_, v) => setMessage(v ?? "")}
          disabled={sending || !draft}
          description={fill(s.shareDialog.messageCount, { count: message.length, max: MAX_MESSAGE_LENGTH })}
          errorMessage={keptProblem?.message}
        />
        {draft?.problem && draft.problemCode !== "messageNeedsExpiry" ? (
          <MessageBar messageBarType={MessageBarType.warning} isMultiline>
            {draft.problem}
          </MessageBar>
        ) : null}
      </div>
      <DialogFooter>
        {sending ? (
          <Spinner
            size={SpinnerSize.small}
            label={s.shareDialog.sending}
            labelPosition="right"
            styles={{ root: { display: "inline-flex", marginRight: 12 } }}
          />
        ) : null}
        <PrimaryButton
          text={mode === "share" ? s.shareDialog.send : s.shareDialog.sendRequest}
          onClick={() => void submit()}
          disabled={!ready || sending}
        />
        <DefaultButton text={commonStrings.cancel} onClick={onDismiss} disabled={sending} />
      </DialogFooter>
    </Dialog>
  );
}

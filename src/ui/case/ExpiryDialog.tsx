import { DefaultButton, PrimaryButton } from "@fluentui/react/lib/Button";
import { ChoiceGroup } from "@fluentui/react/lib/ChoiceGroup";
import { DatePicker } from "@fluentui/react/lib/DatePicker";
import { Dialog, DialogFooter, DialogType } from "@fluentui/react/lib/Dialog";
import { Spinner, SpinnerSize } from "@fluentui/react/lib/Spinner";
import { TextField } from "@fluentui/react/lib/TextField";
import { useRef, useState } from "react";
import type { ExpiryChangeRequest } from "../../app/casePanelSession";
import { isValidationError, ValidationError } from "../../domain/errors";
import { DAY_MS, latestExpiry } from "../../domain/expiry";
import { ErrorBar } from "../common/ErrorBar";
import { formatLongDate } from "../common/format";
import { useLocaleInfo } from "../common/PanelRoot";
import { revealFixed } from "../common/reveal";
import { commonStrings, fill } from "../common/strings";
import { caseStrings as s } from "./strings";
import { classes } from "./styles";

export type ExpiryMode = "keep" | "date";

export interface ExpiryDialogProps {
  /** Which choice the dialog opens with (the button the administrator clicked). */
  readonly mode: ExpiryMode;
  /** Keep with no expiry is offered only when allowed (the folder has an expiry now). */
  readonly canKeep: boolean;
  readonly folder: string;
  /** One file in the folder: the dialog is about its own expiry. */
  readonly file?: string;
  /** The file has no date of its own: it goes with the folder. */
  readonly followsFolder?: boolean;
  /** The current expiry; null when kept. */
  readonly expiresOn: Date | null;
  /** The time of day a picked date expires at (the current expiry's, or the folder's creation). */
  readonly timeOfDay: Date;
  /** The first day the picker offers. */
  readonly today: Date;
  readonly onSubmit: (request: ExpiryChangeRequest) => Promise<void>;
  readonly onDismiss: () => void;
}

/**
 * A picked calendar day at the expiry's time of day, so a changed expiry stays "created on + whole
 * days" like every other (DESIGN.md "Expiry"); the picker gives the day at local midnight.
 */
export function expiryOnDay(day: Date, timeOfDay: Date): Date {
  const out = new Date(day);
  out.setHours(timeOfDay.getHours(), timeOfDay.getMinutes(), timeOfDay.getSeconds(), timeOfDay.getMilliseconds());
  return out;
}

/** The administrator's Keep with no expiry / Change expiry: a date or none, and a required reason. */
export function ExpiryDialog(props: ExpiryDialogProps) {
  const info = useLocaleInfo();
  const [mode, setMode] = useState<ExpiryMode>(props.canKeep ? props.mode : "date");
  const [day, setDay] = useState<Date | undefined>();
  const [reason, setReason] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const revealed = useRef(false);
  // As the share dialog: the panel's frame can be taller than what the form shows of it, so once
  // Fluent has laid the dialog out, scroll the form until all of it (its buttons too) is in view.
  const reveal = (el: HTMLDivElement | null) => {
    if (!el || revealed.current) return;
    revealed.current = true;
    requestAnimationFrame(() => revealFixed(el.closest(".ms-Dialog-main") ?? el));
  };

  const fieldError = (field: string) => (isValidationError(error) && error.field === field ? error.message : undefined);
  const dateError = mode === "date" ? fieldError("expiresOn") : undefined;
  const reasonError = fieldError("reason");
  const otherError = error && !dateError && !reasonError ? error : undefined;

  const submit = async () => {
    setError(undefined);
    if (mode === "date" && !day) {
      setError(new ValidationError("expiryInvalid", props.file ? s.fileExpiryDialog.pickDate : s.expiryDialog.pickDate, "expiresOn"));
      return;
    }
    setSaving(true);
    try {
      await props.onSubmit({ expiresOn: mode === "keep" ? null : expiryOnDay(day!, props.timeOfDay), reason });
    } catch (e) {
      setError(e);
      setSaving(false);
    }
  };

  // The picker offers days up to the one before the limit: any time of day on it stays within
  // MAX_EXPIRY_DAYS of now. The use case enforces the limit in any case.
  const lastDay = new Date(latestExpiry(props.today).getTime() - DAY_MS);
  const f = s.fileExpiryDialog;
  const current =
    props.file && props.followsFolder
      ? f.currentFolder
      : props.expiresOn
        ? fill(s.expiryDialog.currentDate, { date: formatLongDate(props.expiresOn, info) })
        : s.expiryDialog.currentKept;
  const title = props.file
    ? mode === "keep"
      ? f.titleKeep
      : f.titleChange
    : mode === "keep"
      ? s.expiryDialog.titleKeep
      : s.expiryDialog.titleChange;
  const subText = props.file
    ? fill(f.subtitle, { file: props.file, folder: props.folder, current })
    : fill(s.expiryDialog.subtitle, { folder: props.folder, current });
  return (
    <Dialog
      hidden={false}
      onDismiss={saving ? undefined : props.onDismiss}
      minWidth={440}
      maxWidth={520}
      dialogContentProps={{
        type: DialogType.normal,
        title,
        subText,
        closeButtonAriaLabel: commonStrings.close,
      }}
      modalProps={{ isBlocking: true }}
    >
      <div className={classes.dialogFields} ref={reveal}>
        {otherError ? <ErrorBar error={otherError} /> : null}
        {props.canKeep ? (
          <ChoiceGroup
            label={s.expiryDialog.choice}
            selectedKey={mode}
            onChange={(_, o) => {
              if (!o) return;
              setMode(o.key as ExpiryMode);
              setError(undefined);
            }}
            disabled={saving}
            options={[
              { key: "keep", text: props.file ? f.keep : s.expiryDialog.keep },
              { key: "date", text: props.file ? f.date : s.expiryDialog.date },
            ]}
          />
        ) : null}
        {mode === "date" ? (
          <DatePicker
            label={s.expiryDialog.datePicker}
            isRequired
            value={day}
            onSelectDate={(d) => {
              setDay(d ?? undefined);
              setError(undefined);
            }}
            today={props.today}
            initialPickerDate={props.today}
            minDate={props.today}
            maxDate={lastDay}
            placeholder={s.expiryDialog.datePlaceholder}
            ariaLabel={s.expiryDialog.datePicker}
            formatDate={(d) => (d ? formatLongDate(d, { locale: info.locale }) : "")}
            disabled={saving}
            textField={{ errorMessage: dateError }}
          />
        ) : null}
        <TextField
          label={s.expiryDialog.reason}
          required
          multiline
          rows={2}
          placeholder={s.expiryDialog.reasonPlaceholder}
          value={reason}
          onChange={(_, v) => {
            setReason(v ?? "");
            if (reasonError) setError(undefined);
          }}
          errorMessage={reasonError}
          disabled={saving}
        />
      </div>
      <DialogFooter>
        {saving ? (
          <Spinner
            size={SpinnerSize.small}
            label={s.expiryDialog.saving}
            labelPosition="right"
            styles={{ root: { display: "inline-flex", marginRight: 12 } }}
          />
        ) : null}
        <PrimaryButton text={s.expiryDialog.save} onClick={() => void submit()} disabled={saving} />
        <DefaultButton text={commonStrings.cancel} onClick={props.onDismiss} disabled={saving} />
      </DialogFooter>
    </Dialog>
  );
}

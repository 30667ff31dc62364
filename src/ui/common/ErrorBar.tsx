import { MessageBarButton } from "@fluentui/react/lib/Button";
import { MessageBar, MessageBarType } from "@fluentui/react/lib/MessageBar";
import { describeError, type ErrorDescription } from "./errorText";
import { commonStrings } from "./strings";

export interface ErrorBarProps {
  readonly error: unknown;
  /** Shown as "Try again" when the error may pass. */
  readonly onRetry?: () => void;
  readonly onDismiss?: () => void;
  /** Shown as "Sign in to SharePoint" when a sign-in window would fix it (must run from the click). */
  readonly onSignIn?: () => void;
}

const types: Record<ErrorDescription["kind"], MessageBarType> = {
  error: MessageBarType.error,
  blocked: MessageBarType.blocked,
  warning: MessageBarType.warning,
};

/** One error as a Fluent message bar: a sentence, what to do about it, and Try again when it may help. */
export function ErrorBar({ error, onRetry, onDismiss, onSignIn }: ErrorBarProps) {
  const d = describeError(error);
  const action =
    d.signIn && onSignIn
      ? { label: commonStrings.signIn, run: onSignIn }
      : d.retryable && onRetry
        ? { label: commonStrings.retry, run: onRetry }
        : null;
  return (
    <MessageBar
      messageBarType={types[d.kind]}
      isMultiline
      onDismiss={onDismiss}
      dismissButtonAriaLabel={commonStrings.dismiss}
      actions={
        action ? (
          <div>
            <MessageBarButton onClick={action.run}>{action.label}</MessageBarButton>
          </div>
        ) : undefined
      }
    >
      {d.text}
      {d.howTo ? <div style={{ marginTop: 4 }}>{d.howTo}</div> : null}
    </MessageBar>
  );
}

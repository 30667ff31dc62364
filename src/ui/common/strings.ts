/**
 * English strings shared by every panel, in one place for translation. Each panel keeps its own
 * strings beside its components (src/ui/case/strings.ts, src/ui/ticket/strings.ts) in the same
 * shape: plain sentences with `{name}` placeholders, filled by `fill`.
 */
export const commonStrings = {
  loading: "Loading…",
  retry: "Try again",
  signIn: "Sign in to SharePoint",
  dismiss: "Close",
  cancel: "Cancel",
  close: "Close",
  unknownUser: "someone",
  noExpiry: "Kept with no expiry",
  expired: "Expired",
  daysLeft: { one: "{n} day left", other: "{n} days left" },
  bytes: { one: "{n} byte", other: "{n} bytes" },
  malware: {
    flagged: "Malware detected by SharePoint",
    notCounted: "Not counted, not offered for download",
    count: { one: "{n} flagged as malware, not counted", other: "{n} flagged as malware, not counted" },
  },
  // Errors from the services, as sentences a support agent can act on.
  errors: {
    unexpected: "Something went wrong: {detail}",
    network: "The connection to {service} failed. Check your network and try again.",
    busy: "{service} is busy. Try again in a moment.",
    busyRetrying: "{service} is busy, retrying in {seconds} s.",
    timeout: "{service} took too long to answer. Try again in a moment.",
    signIn: "Sign in to SharePoint to see and share this case's folders.",
    signInCancelled: "Sign-in was cancelled. Sign in to SharePoint to see and share this case's folders.",
    signInFailed: "Signing in to SharePoint failed: {detail}",
    sharePointAccessDenied:
      "You have no access to the SharePoint library that holds the case folders, so the panel cannot show or share them.",
    sharePointAccessHowTo:
      "Open the site in SharePoint and select Request access, or ask the site owner to add you to the support team's group.",
    folderGone: "The folder is no longer in SharePoint. Someone may have moved or deleted it.",
    malwareDetected: "SharePoint found malware in the file, so it is not downloaded or shared. Remove it from the folder.",
    fileUnreadable:
      "The file could not be read any more: it may have been moved, renamed or changed since you picked it. Pick it again to upload it.",
    libraryNotFound:
      "The document library named in the settings is not on the SharePoint site. An administrator should check the settings.",
    dataverseAccessDenied: "Your security role does not allow this. Ask your administrator for the Case File Exchange role you need.",
    securedColumn:
      'Dynamics 365 refused the change: expiry decisions about folders and files are kept in secured columns, and your account is not in the "Case File Exchange Administrators" field security profile.',
    securedColumnHowTo:
      'Ask a System Administrator to add you to it: Settings → Security → Field Security Profiles → "Case File Exchange Administrators" → Users → Add.',
    dataverseNotFound: "The record is no longer in Dynamics 365. Someone may have deleted it; refresh the form.",
    caseInactive: "The case is resolved or cancelled, so Dynamics 365 does not accept changes to it.",
    inviteRefused: "SharePoint refused to invite {email}: {reason}",
    inviteRefusedAdmin:
      "An administrator can change this in the SharePoint admin center (external sharing for the site) or in Microsoft Entra ID (guest invite settings and allowed domains).",
    inviteNotAllowed:
      "the tenant does not allow sharing with this address (external sharing is off for the site, the domain is blocked, or guest invitations are restricted).",
    inviteSecure: "this address cannot be invited securely, because external sharing or guest invitations are restricted for the site.",
    inviteMailbox: "the address has no mailbox SharePoint can deliver the invitation to.",
    inviteVerification: "Microsoft asks the organization to verify its account before it can invite guests.",
    settings: "The Case File Exchange settings need attention: {detail}",
  },
  services: {
    sharePoint: "SharePoint",
    dataverse: "Dynamics 365",
    signIn: "Microsoft sign-in",
  },
} as const;

/** The English plural forms of a string: `one` and `other`. */
export interface PluralForms {
  readonly one: string;
  readonly other: string;
}

/** Fills `{name}` placeholders; unknown placeholders stay visible so a missing value is noticed. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Picks the plural form for `count` (English rules) and fills `{n}` with the formatted count. */
export function plural(forms: PluralForms, count: number, formattedCount: string = String(count)): string {
  return fill(count === 1 ? forms.one : forms.other, { n: formattedCount });
}

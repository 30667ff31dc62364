import type { ChoiceDef } from "./schema";

/**
 * The publisher's option value prefix: Dataverse takes 10000–99999 (the publisher table's
 * `CustomizationOptionValuePrefix`, MinValue 10000, MaxValue 99999, in Microsoft's table reference).
 * Derived from our customization prefix so that anyone can recompute it and no other publisher's
 * number is borrowed: the first four bytes of SHA-256("cfx") read big-endian (0x72db96d3), modulo
 * 90000, plus 10000.
 */
export const optionValuePrefix = 13619;

/** Option values are the prefix followed by four digits, as the maker portal numbers them (13619 → 136190000). */
const base = optionValuePrefix * 10000;

export const ExchangeDirection = {
  backupForCustomer: base,
  filesFromCustomer: base + 1,
} as const;
export type ExchangeDirection = (typeof ExchangeDirection)[keyof typeof ExchangeDirection];

export const ExchangeStage = {
  folderCreated: base,
  backupReady: base + 1,
  shared: base + 2,
  filesReceived: base + 3,
  revoked: base + 4,
  deleted: base + 5,
  /** The record is written and the invitation is being sent: the guest may or may not have access yet. */
  inviting: base + 6,
} as const;
export type ExchangeStage = (typeof ExchangeStage)[keyof typeof ExchangeStage];

export const RecipientRole = {
  read: base,
  write: base + 1,
} as const;
export type RecipientRole = (typeof RecipientRole)[keyof typeof RecipientRole];

export const FileIntegrity = {
  verified: base,
  modifiedBySharePoint: base + 1,
  mismatch: base + 2,
  /** A customer's file: the quickXorHash SharePoint computed, recorded when the file arrived (nothing local to compare). */
  recordedBySharePoint: base + 3,
  /** A customer's file SharePoint had not computed a hash for yet when it arrived. */
  hashPending: base + 4,
} as const;
export type FileIntegrity = (typeof FileIntegrity)[keyof typeof FileIntegrity];

/** What became of a receipted file. */
export const FileStatus = {
  /** In the folder as receipted. */
  inFolder: base,
  /** The customer put in the same file again with other content: a newer receipt records it. */
  replaced: base + 1,
  /** The customer deleted it from the folder. */
  deletedByCustomer: base + 2,
  /** Support removed it before the folder's expiry. */
  removed: base + 3,
  /** Deleted with its folder, or on its own date, by the retention job. */
  expired: base + 4,
} as const;
export type FileStatus = (typeof FileStatus)[keyof typeof FileStatus];

/** How a run of the retention job ended (docs/retention.md, "Is the job running?"). */
export const JobRunOutcome = {
  succeeded: base,
  completedWithFailures: base + 1,
  failed: base + 2,
} as const;
export type JobRunOutcome = (typeof JobRunOutcome)[keyof typeof JobRunOutcome];

/** Where a run of the retention job ran. */
export const JobHost = {
  cli: base,
  functions: base + 1,
  sandbox: base + 2,
} as const;
export type JobHost = (typeof JobHost)[keyof typeof JobHost];

export const directionChoice: ChoiceDef = {
  name: "cfx_exchangedirection",
  displayName: "Exchange direction",
  global: true,
  options: [
    { value: ExchangeDirection.backupForCustomer, name: "backupForCustomer", label: "Backup for the customer" },
    { value: ExchangeDirection.filesFromCustomer, name: "filesFromCustomer", label: "Files from the customer" },
  ],
};

export const stageChoice: ChoiceDef = {
  name: "cfx_exchangestage",
  displayName: "Exchange stage",
  global: true,
  options: [
    { value: ExchangeStage.folderCreated, name: "folderCreated", label: "Folder created" },
    { value: ExchangeStage.backupReady, name: "backupReady", label: "Backup ready" },
    { value: ExchangeStage.shared, name: "shared", label: "Shared" },
    { value: ExchangeStage.filesReceived, name: "filesReceived", label: "Files received" },
    { value: ExchangeStage.revoked, name: "revoked", label: "Revoked" },
    { value: ExchangeStage.deleted, name: "deleted", label: "Deleted" },
    { value: ExchangeStage.inviting, name: "inviting", label: "Invitation under way" },
  ],
};

export const recipientRoleChoice: ChoiceDef = {
  name: "cfx_recipientrole",
  displayName: "Recipient access",
  global: true,
  options: [
    { value: RecipientRole.read, name: "read", label: "Can view" },
    { value: RecipientRole.write, name: "write", label: "Can edit" },
  ],
};

export const integrityChoice: ChoiceDef = {
  name: "cfx_fileintegrity",
  displayName: "File integrity",
  global: true,
  options: [
    { value: FileIntegrity.verified, name: "verified", label: "Verified" },
    { value: FileIntegrity.modifiedBySharePoint, name: "modifiedBySharePoint", label: "Stored, modified by SharePoint" },
    { value: FileIntegrity.mismatch, name: "mismatch", label: "Hash mismatch" },
    { value: FileIntegrity.recordedBySharePoint, name: "recordedBySharePoint", label: "Hash recorded from SharePoint" },
    { value: FileIntegrity.hashPending, name: "hashPending", label: "Hash not computed yet" },
  ],
};

export const fileStatusChoice: ChoiceDef = {
  name: "cfx_filestatus",
  displayName: "File status",
  global: true,
  options: [
    { value: FileStatus.inFolder, name: "inFolder", label: "In the folder" },
    { value: FileStatus.replaced, name: "replaced", label: "Replaced by the customer" },
    { value: FileStatus.deletedByCustomer, name: "deletedByCustomer", label: "Deleted by the customer" },
    { value: FileStatus.removed, name: "removed", label: "Removed by support" },
    { value: FileStatus.expired, name: "expired", label: "Deleted at expiry" },
  ],
};

export const jobRunOutcomeChoice: ChoiceDef = {
  name: "cfx_jobrunoutcome",
  displayName: "Job run outcome",
  global: true,
  options: [
    { value: JobRunOutcome.succeeded, name: "succeeded", label: "Succeeded" },
    { value: JobRunOutcome.completedWithFailures, name: "completedWithFailures", label: "Completed with failures" },
    { value: JobRunOutcome.failed, name: "failed", label: "Failed" },
  ],
};

export const jobHostChoice: ChoiceDef = {
  name: "cfx_jobhost",
  displayName: "Job host",
  global: true,
  options: [
    { value: JobHost.cli, name: "cli", label: "Command line (cfx-retention)" },
    { value: JobHost.functions, name: "functions", label: "Azure Functions timer" },
    { value: JobHost.sandbox, name: "sandbox", label: "Sandbox clock" },
  ],
};

/** Active/Inactive, as every user-owned custom table has them. */
export function stateChoice(table: string): ChoiceDef {
  return {
    name: `${table}_statecode`,
    displayName: "Status",
    global: false,
    options: [
      { value: 0, name: "active", label: "Active" },
      { value: 1, name: "inactive", label: "Inactive" },
    ],
  };
}

export function statusChoice(table: string): ChoiceDef {
  return {
    name: `${table}_statuscode`,
    displayName: "Status Reason",
    global: false,
    options: [
      { value: 1, name: "active", label: "Active", state: 0 },
      { value: 2, name: "inactive", label: "Inactive", state: 1 },
    ],
  };
}

/** The choices the solution ships as global option sets. */
export const globalChoices: readonly ChoiceDef[] = [
  directionChoice,
  stageChoice,
  recipientRoleChoice,
  integrityChoice,
  fileStatusChoice,
  jobRunOutcomeChoice,
  jobHostChoice,
];

/**
 * The SharePoint side of the seeded exchanges: one folder per exchange, by a deterministic path,
 * so the Dataverse seed (cfx_fileexchange rows: name, item id = seededItemId(path)) and the Graph
 * seed (sandbox/graph/seed.ts) agree without a lookup. Written by the Graph side first;
 * the Dataverse seed owns the rows and may extend this list.
 */
export interface SeededExchangeFolder {
  readonly caseNumber: string;
  readonly direction: "backup" | "upload";
  /** Path under the library root, e.g. "Customer Data Migration/CAS-01001-A1B2C3". */
  readonly path: string;
  readonly files: readonly { readonly name: string; readonly size: number }[];
  readonly recipients: readonly { readonly email: string; readonly role: "read" | "write" }[];
  /** Days before the sandbox's first start that the folder was created (for expiry demos). */
  readonly createdDaysAgo: number;
}

export const backupRoot = "Customer Data Migration";
export const uploadRoot = "External Data Transfer";

export const seededExchangeFolders: readonly SeededExchangeFolder[] = [
  {
    caseNumber: "CAS-01001-A1B2C3",
    direction: "backup",
    path: `${backupRoot}/CAS-01001-A1B2C3`,
    files: [],
    recipients: [],
    createdDaysAgo: 1,
  },
  {
    caseNumber: "CAS-01002-D4E5F6",
    direction: "backup",
    path: `${backupRoot}/CAS-01002-D4E5F6`,
    files: [{ name: "backup-2026-11-20.zip", size: 3 * 1024 * 1024 + 17 }],
    recipients: [],
    createdDaysAgo: 2,
  },
  {
    caseNumber: "CAS-01003-G7H8J9",
    direction: "backup",
    path: `${backupRoot}/CAS-01003-G7H8J9`,
    files: [
      { name: "mailbox-export.pst", size: 1024 * 1024 },
      { name: "readme.txt", size: 420 },
    ],
    recipients: [{ email: "maria.lopez@fabrikam.example", role: "write" }],
    createdDaysAgo: 28,
  },
  {
    caseNumber: "CAS-01004-K1L2M3",
    direction: "upload",
    path: `${uploadRoot}/CAS-01004-K1L2M3`,
    files: [{ name: "error-log.txt", size: 2048 }],
    recipients: [{ email: "tom.baker@northwind.example", role: "write" }],
    createdDaysAgo: 3,
  },
  // Added by the Dataverse seed: the remaining stages and edge cases.
  {
    caseNumber: "CAS-01005-N4P5Q6",
    direction: "upload",
    path: `${uploadRoot}/CAS-01005-N4P5Q6`,
    files: [],
    recipients: [{ email: "priya.patel@adventure-works.example", role: "write" }],
    createdDaysAgo: 1,
  },
  {
    caseNumber: "CAS-01006-R7S8T9",
    direction: "backup",
    path: `${backupRoot}/CAS-01006-R7S8T9`,
    files: [{ name: "photos.zip", size: 512 * 1024 }],
    recipients: [],
    createdDaysAgo: 10,
  },
  {
    caseNumber: "CAS-01008-W3X4Y5",
    direction: "backup",
    path: `${backupRoot}/CAS-01008-W3X4Y5`,
    files: [{ name: "restore-image.zip", size: 256 * 1024 }],
    recipients: [{ email: "tom.baker@northwind.example", role: "write" }],
    createdDaysAgo: 6,
  },
  {
    caseNumber: "CAS-01011-E5F6G7",
    direction: "backup",
    path: `${backupRoot}/CAS-01011-E5F6G7`,
    files: [{ name: "documents.zip", size: 128 * 1024 }],
    recipients: [{ email: "lena@tailspin-old.example", role: "write" }],
    createdDaysAgo: 4,
  },
  {
    caseNumber: "CAS-01012-H8J9K2",
    direction: "backup",
    path: `${backupRoot}/CAS-01012-H8J9K2`,
    files: [],
    recipients: [],
    createdDaysAgo: 2,
  },
  // The Tier 2 Support team's case: backup stored, support not notified yet.
  {
    caseNumber: "CAS-01013-T2Q5R8",
    direction: "backup",
    path: `${backupRoot}/CAS-01013-T2Q5R8`,
    files: [{ name: "nas-volume.zip", size: 640 * 1024 }],
    recipients: [],
    createdDaysAgo: 1,
  },
];

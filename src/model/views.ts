/**
 * The system views (saved queries) the product ships, as plain data: the packer writes each as a
 * savedquery (FetchXML + layout), the sandbox's app shell lists rows with the same columns. A view's
 * id is derived from its `key` by the packer (UUIDv5 of `cfx/view/<key>`).
 */

import { ExchangeStage } from "./choices";

/** What kind of system view it is; the packer maps it to Dataverse's `querytype`. */
export type ViewKind = "public" | "advancedfind" | "associated" | "quickfind" | "lookup";

export interface ViewColumnDef {
  readonly column: string;
  readonly width: number;
  /** Set for a column of a linked table: the `key` of the link in `links`. */
  readonly link?: string;
}

/** An N:1 hop to another table (FetchXML link-entity), e.g. from an exchange to its case. */
export interface ViewLinkDef {
  readonly key: string;
  readonly table: string;
  /** The linked table's column (its primary key). */
  readonly from: string;
  /** This view's table's lookup column. */
  readonly to: string;
}

export interface ViewConditionDef {
  readonly column: string;
  /** FetchXML's operators; `next-x-days` takes a number of days as its value (from now, in the user's zone). */
  readonly operator: "eq" | "ne" | "null" | "not-null" | "eq-userid" | "next-x-days";
  readonly value?: string;
}

export interface ViewDef {
  readonly key: string;
  readonly table: string;
  readonly kind: ViewKind;
  readonly name: string;
  readonly description?: string;
  /** The default view of its kind for the table. */
  readonly isDefault: boolean;
  readonly columns: readonly ViewColumnDef[];
  readonly order: readonly { readonly column: string; readonly descending: boolean }[];
  readonly filter: readonly ViewConditionDef[];
  readonly links?: readonly ViewLinkDef[];
  /** For quick find views: the columns the search box searches. */
  readonly quickFindColumns?: readonly string[];
}

interface StandardViewsOptions {
  readonly table: string;
  readonly collectionName: string;
  readonly displayName: string;
  readonly columns: readonly ViewColumnDef[];
  readonly order: readonly { readonly column: string; readonly descending: boolean }[];
  readonly quickFind: readonly string[];
  /** Whether "Active …" is the table's default public view (false where another view is). */
  readonly activeIsDefault?: boolean;
}

const active: ViewConditionDef = { column: "statecode", operator: "eq", value: "0" };
const inactive: ViewConditionDef = { column: "statecode", operator: "eq", value: "1" };

/** The views Dataverse expects every table to have: active, inactive, advanced find, associated, lookup, quick find. */
function standardViews(o: StandardViewsOptions): ViewDef[] {
  const base = { table: o.table, columns: o.columns, order: o.order };
  return [
    {
      ...base,
      key: `${o.table}/active`,
      kind: "public",
      name: `Active ${o.collectionName}`,
      isDefault: o.activeIsDefault ?? true,
      filter: [active],
    },
    { ...base, key: `${o.table}/inactive`, kind: "public", name: `Inactive ${o.collectionName}`, isDefault: false, filter: [inactive] },
    {
      ...base,
      key: `${o.table}/advancedfind`,
      kind: "advancedfind",
      name: `${o.displayName} Advanced Find View`,
      isDefault: true,
      filter: [],
    },
    {
      ...base,
      key: `${o.table}/associated`,
      kind: "associated",
      name: `${o.displayName} Associated View`,
      isDefault: true,
      filter: [active],
    },
    {
      ...base,
      key: `${o.table}/lookup`,
      kind: "lookup",
      name: `${o.displayName} Lookup View`,
      isDefault: true,
      order: [],
      filter: [active],
    },
    {
      ...base,
      key: `${o.table}/quickfind`,
      kind: "quickfind",
      name: `Quick Find Active ${o.collectionName}`,
      isDefault: true,
      filter: [active],
      quickFindColumns: o.quickFind,
    },
  ];
}

/**
 * The supervisors' view: every active exchange with its case's number, title, customer and owner
 * (through the exchange's N:1 relationship to the case), sorted by the exchange's own stage and
 * expiry — the columns of a linked table cannot be sorted in a Dataverse grid, these two can.
 * It is the table's default public view: the File Exchanges list opens on it.
 */
export const supervisorView: ViewDef = {
  key: "cfx_fileexchange/supervisor",
  table: "cfx_fileexchange",
  kind: "public",
  name: "File Exchanges with Their Cases",
  description: "Every active exchange with its case's number, title, customer and owner, by stage and expiry.",
  isDefault: true,
  links: [{ key: "case", table: "incident", from: "incidentid", to: "cfx_caseid" }],
  columns: [
    { column: "cfx_name", width: 200 },
    { column: "ticketnumber", width: 150, link: "case" },
    { column: "title", width: 200, link: "case" },
    { column: "customerid", width: 150, link: "case" },
    { column: "ownerid", width: 150, link: "case" },
    { column: "cfx_direction", width: 150 },
    { column: "cfx_stage", width: 125 },
    { column: "cfx_expireson", width: 125 },
  ],
  order: [
    { column: "cfx_stage", descending: false },
    { column: "cfx_expireson", descending: false },
  ],
  filter: [active],
};

/**
 * The exchange's own name, then the case's number, title and owner (the supervisors' lists). The
 * primary name column comes first in every view: it is the cell the grid shows as the link that
 * opens the row (the layout's `jump` column), and a linked table's cell opens the case instead.
 */
const caseLink: ViewLinkDef = { key: "case", table: "incident", from: "incidentid", to: "cfx_caseid" };
const nameAndCaseColumns: readonly ViewColumnDef[] = [
  { column: "cfx_name", width: 180 },
  { column: "ticketnumber", width: 150, link: "case" },
  { column: "title", width: 180, link: "case" },
  { column: "ownerid", width: 140, link: "case" },
];

/** The supervisors' dashboard's lists: what needs attention, across every case. */
export const supervisorAttentionViews: readonly ViewDef[] = [
  {
    key: "cfx_fileexchange/expiring",
    table: "cfx_fileexchange",
    kind: "public",
    name: "Exchanges Expiring in the Next 7 Days",
    description: "Active exchanges whose folder is deleted within a week, soonest first.",
    isDefault: false,
    links: [caseLink],
    columns: [...nameAndCaseColumns, { column: "cfx_stage", width: 120 }, { column: "cfx_expireson", width: 125 }],
    order: [{ column: "cfx_expireson", descending: false }],
    filter: [active, { column: "cfx_expireson", operator: "next-x-days", value: "7" }],
  },
  {
    key: "cfx_fileexchange/ready-not-shared",
    table: "cfx_fileexchange",
    kind: "public",
    name: "Backups Ready, Not Yet Shared",
    description: "Backups support was told about that no agent has shared with the customer yet, longest waiting first.",
    isDefault: false,
    links: [caseLink],
    columns: [...nameAndCaseColumns, { column: "cfx_readyon", width: 125 }, { column: "cfx_filecount", width: 80 }],
    order: [{ column: "cfx_readyon", descending: false }],
    filter: [active, { column: "cfx_stage", operator: "eq", value: String(ExchangeStage.backupReady) }],
  },
  {
    key: "cfx_fileexchange/kept",
    table: "cfx_fileexchange",
    kind: "public",
    name: "Exchanges Kept Without Expiry",
    description: "Active exchanges an administrator keeps with no expiry, with the reason given.",
    isDefault: false,
    links: [caseLink],
    columns: [...nameAndCaseColumns, { column: "cfx_stage", width: 120 }, { column: "cfx_expiryreason", width: 220 }],
    order: [{ column: "cfx_foldercreatedon", descending: false }],
    filter: [active, { column: "cfx_expireson", operator: "null" }],
  },
];

/**
 * The retention job's runs, newest first: when and where each ran, how it ended, what it did and
 * how many steps failed. The dashboard's health tile reads the same rows; this view is where a
 * supervisor or administrator looks further back. It is the table's default public view.
 */
export const jobRunsView: ViewDef = {
  key: "cfx_jobrun/runs",
  table: "cfx_jobrun",
  kind: "public",
  name: "Retention Job Runs",
  description: "Every run of the retention job, newest first: where it ran, how it ended, what it did and what failed.",
  isDefault: true,
  columns: [
    { column: "cfx_name", width: 220 },
    { column: "cfx_outcome", width: 170 },
    { column: "cfx_host", width: 170 },
    { column: "cfx_startedon", width: 140 },
    { column: "cfx_finishedon", width: 140 },
    { column: "cfx_warned", width: 90 },
    { column: "cfx_deleted", width: 90 },
    { column: "cfx_failures", width: 80 },
    { column: "cfx_failuredetails", width: 300 },
  ],
  order: [{ column: "cfx_startedon", descending: true }],
  filter: [],
};

export const viewDefs: readonly ViewDef[] = [
  ...standardViews({
    table: "cfx_hardwareticket",
    collectionName: "Hardware Tickets",
    displayName: "Hardware Ticket",
    columns: [
      { column: "cfx_name", width: 150 },
      { column: "cfx_caseid", width: 200 },
      { column: "ownerid", width: 150 },
      { column: "createdon", width: 125 },
    ],
    order: [{ column: "createdon", descending: true }],
    quickFind: ["cfx_name"],
  }),
  ...standardViews({
    table: "cfx_fileexchange",
    collectionName: "File Exchanges",
    displayName: "File Exchange",
    columns: [
      { column: "cfx_name", width: 200 },
      { column: "cfx_caseid", width: 150 },
      { column: "cfx_direction", width: 150 },
      { column: "cfx_stage", width: 125 },
      { column: "cfx_expireson", width: 125 },
      { column: "ownerid", width: 150 },
    ],
    order: [{ column: "cfx_expireson", descending: false }],
    quickFind: ["cfx_name"],
    activeIsDefault: false,
  }),
  supervisorView,
  ...supervisorAttentionViews,
  ...standardViews({
    table: "cfx_exchangerecipient",
    collectionName: "Exchange Recipients",
    displayName: "Exchange Recipient",
    columns: [
      { column: "cfx_name", width: 250 },
      { column: "cfx_role", width: 100 },
      { column: "cfx_invitedon", width: 125 },
      { column: "cfx_revokedon", width: 125 },
    ],
    order: [{ column: "cfx_invitedon", descending: true }],
    quickFind: ["cfx_name"],
  }),
  ...standardViews({
    table: "cfx_filereceipt",
    collectionName: "File Receipts",
    displayName: "File Receipt",
    columns: [
      { column: "cfx_name", width: 300 },
      { column: "cfx_size", width: 125 },
      { column: "cfx_integrity", width: 150 },
      { column: "cfx_uploadedon", width: 125 },
    ],
    order: [{ column: "cfx_uploadedon", descending: true }],
    quickFind: ["cfx_name"],
  }),
  ...standardViews({
    table: "cfx_jobrun",
    collectionName: "Retention Job Runs",
    displayName: "Retention Job Run",
    columns: [
      { column: "cfx_name", width: 220 },
      { column: "cfx_outcome", width: 170 },
      { column: "cfx_startedon", width: 140 },
      { column: "cfx_failures", width: 80 },
    ],
    order: [{ column: "cfx_startedon", descending: true }],
    quickFind: ["cfx_name"],
    activeIsDefault: false,
  }),
  jobRunsView,
];

/** The view with that key; throws for a key the model does not know. */
export function viewByKey(key: string): ViewDef {
  const view = viewDefs.find((v) => v.key === key);
  if (!view) throw new Error(`The data model has no view "${key}".`);
  return view;
}

/**
 * The system dashboards the product ships, as plain data: the packer writes each as a dashboard
 * (a system form of type 0) whose lists are grids over system views, and the sandbox's app shell
 * draws the same lists. A dashboard's id is derived from its `key` by the packer.
 */

/** One list on a dashboard: a grid over a system view. */
export interface DashboardListDef {
  /** The `key` of a view in `src/model/views.ts`. */
  readonly view: string;
  /** Rows the grid shows before it pages. */
  readonly recordsPerPage: number;
}

/** A web resource across the top of a dashboard (an HTML page that reads what lists cannot show). */
export interface DashboardWebResourceDef {
  /** The web resource's name in `src/model/webresources.ts`. */
  readonly webResource: string;
  /** The label of its cell (the dashboard shows no label above it). */
  readonly label: string;
  /** Rows the cell spans (its height). */
  readonly rows: number;
}

export interface DashboardDef {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** A web resource across the top, above the lists. */
  readonly header?: DashboardWebResourceDef;
  /** Up to three lists side by side (Dataverse's limit is six components in all). */
  readonly top: readonly DashboardListDef[];
  /** One wide list under them. */
  readonly wide: DashboardListDef;
}

/**
 * The supervisors' dashboard: status, expiry and problems across every case without opening a
 * record. Whether the retention job is running across the top (its last successful run, what
 * failed, and "Overdue" when no run succeeded within the expected interval), what needs attention
 * under it (about to expire, ready but not shared, kept without expiry), every active exchange
 * with its case's columns below.
 */
export const supervisorDashboard: DashboardDef = {
  key: "supervisor",
  name: "Case File Exchange: Supervisor",
  description:
    "Whether the retention job is running, exchanges that need attention across all cases, and every active exchange with its case.",
  header: { webResource: "cfx_/dashboards/retention-health.html", label: "Retention job", rows: 4 },
  top: [
    { view: "cfx_fileexchange/expiring", recordsPerPage: 10 },
    { view: "cfx_fileexchange/ready-not-shared", recordsPerPage: 10 },
    { view: "cfx_fileexchange/kept", recordsPerPage: 10 },
  ],
  wide: { view: "cfx_fileexchange/supervisor", recordsPerPage: 25 },
};

export const dashboardDefs: readonly DashboardDef[] = [supervisorDashboard];

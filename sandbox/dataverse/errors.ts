/** Dataverse's own error codes for the failures the sandbox reproduces. */
export const DataverseCode = {
  notFound: "0x80040217",
  badProperty: "0x80060888",
  badSegment: "0x8006088a",
  badQuery: "0x80060891",
  /** A privilege missing altogether (-2147220960). */
  privilege: "0x80040220",
  /** A privilege held that does not reach the record (-2147187962). */
  accessDenied: "0x80048306",
  validation: "0x80044331",
  outOfRange: "0x8004431a",
  caseResolved: "0x800404cf",
  invalidState: "0x80040203",
  required: "0x80040278",
  throttled: "0x80072322",
  unauthorized: "0x80072560",
  duplicate: "0x80040237",
  versionMismatch: "0x80060882",
  noRecipients: "0x8004360d",
  /** AttributePrivilegeCreateIsMissing (-2147158782): a create sets a secured column the caller may not create. */
  securedCreate: "0x8004f502",
  /** AttributePermissionUpdateIsMissingDuringUpdate (-2147158777): an update sets a secured column the caller may not update. */
  securedUpdate: "0x8004f507",
} as const;
export type DataverseCode = (typeof DataverseCode)[keyof typeof DataverseCode];

/** The one error type of the sandbox's Dataverse boundary; the routes turn it into `{error:{code,message}}`. */
export class DataverseError extends Error {
  override readonly name = "DataverseError";
  constructor(
    readonly status: number,
    readonly code: DataverseCode,
    message: string,
  ) {
    super(message);
  }
}

export function isDataverseError(e: unknown): e is DataverseError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "DataverseError" && "code" in e;
}

export const badRequest = (message: string, code: DataverseCode = DataverseCode.badQuery) => new DataverseError(400, code, message);

export const notFound = (table: string, id: string) =>
  new DataverseError(404, DataverseCode.notFound, `Entity '${table}' With Id = ${id} Does Not Exist`);

export const noProperty = (table: string, property: string) =>
  new DataverseError(
    400,
    DataverseCode.badProperty,
    `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${table}'.`,
  );

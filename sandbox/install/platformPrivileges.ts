/** Provisional: replaced by the sourced list. */
export const platformPrivileges: readonly { name: string; table: string; source: string }[] = [
  "Incident",
  "Contact",
  "Account",
  "Note",
  "Activity",
  "User",
  "AppNotification",
  "EnvironmentVariableDefinition",
].flatMap((base) =>
  ["Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share"].map((v) => ({
    name: `prv${v}${base}`,
    table: base,
    source: "",
  })),
);

export function customTablePrivileges(schemaName: string, ownership: "user" | "organization"): string[] {
  const verbs = ["Create", "Read", "Write", "Delete", "Append", "AppendTo", ...(ownership === "user" ? ["Assign", "Share"] : [])];
  return verbs.map((v) => `prv${v}${schemaName}`);
}

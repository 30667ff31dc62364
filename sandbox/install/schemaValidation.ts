import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SolutionImportError } from "./SolutionImportError";

/**
 * Messages of xmllint that come from Microsoft's 9.x CustomizationsSolution.xsd being older than
 * what a current Dataverse export writes. Each is something a real export of today carries (see
 * ../shared/reference/examples/real-export/customizations.xml and ../shared/schemas/README.md);
 * nothing else may be allowed here.
 */
export const newerThanTheSchema: readonly RegExp[] = [
  // Attribute and relationship settings added after 9.0.
  /Element 'IsSearchable': This element is not expected/,
  /Element 'CascadeArchive': This element is not expected/,
  // The table setting for Teams integration.
  /Element 'IsMSTeamsIntegrationEnabled': This element is not expected/,
  // Hidden options of a choice.
  /Element 'option', attribute 'IsHidden'/,
  // Roles record whether they are inherited by business units' teams.
  /Element 'Role', attribute 'isinherited'/,
  // The root element names the organization's version and schema type.
  /Element 'ImportExportXml', attribute '(OrganizationVersion|OrganizationSchemaType|CRMServerServiceabilityVersion)'/,
];

/** Whether this machine can validate: xmllint on the PATH and the schema file in `schemasDir`. */
export function canValidate(schemasDir: string): boolean {
  return existsSync(join(schemasDir, "CustomizationsSolution.xsd")) && spawnSync("sh", ["-c", "command -v xmllint"]).status === 0;
}

/**
 * Validates customizations.xml against CustomizationsSolution.xsd with xmllint, allowing only
 * what is newer than the schema. Returns the schema's path when it validated, undefined when this
 * machine cannot validate (`npm start` on a fresh machine needs neither xmllint nor the schemas);
 * throws SolutionImportError naming the line and the schema's message otherwise.
 */
export function validateAgainstSchema(customizations: Uint8Array, schemasDir: string): string | undefined {
  if (!canValidate(schemasDir)) return undefined;
  const schema = join(schemasDir, "CustomizationsSolution.xsd");
  const dir = mkdtempSync(join(tmpdir(), "cfx-import-"));
  try {
    const file = join(dir, "customizations.xml");
    writeFileSync(file, customizations);
    const run = spawnSync("xmllint", ["--noout", "--schema", schema, file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const errors = schemaErrors(run.stderr);
    if (errors.length > 0) {
      const first = errors[0];
      throw new SolutionImportError(
        "customizations.xml",
        `line ${first.line}: ${first.element}`,
        `does not match Microsoft's schema (${first.message})${errors.length > 1 ? `; ${errors.length - 1} more` : ""}`,
      );
    }
    return schema;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface SchemaError {
  readonly line: number;
  readonly element: string;
  readonly message: string;
}

/** The validity errors of xmllint's output that the allowance does not cover. */
export function schemaErrors(stderr: string): SchemaError[] {
  return stderr
    .split("\n")
    .filter((l) => l.includes("validity error") || l.includes("parser error"))
    .filter((l) => !newerThanTheSchema.some((re) => re.test(l)))
    .map((l) => {
      const m = /:(\d+): (?:element (\S+): )?(?:Schemas )?(?:validity|parser) error : (.*)$/.exec(l);
      return { line: Number(m?.[1] ?? 0), element: (m?.[2] ?? "document").replace(/:$/, ""), message: (m?.[3] ?? l).trim() };
    });
}

import type { FieldSecurityProfileDef } from "../src/model";
import { el, text, type XmlElement } from "./xml";

/** `fieldpermission.canread`/`cancreate`/`canupdate`: 4 allowed, 0 not allowed (the platform's choice values). */
const allowed = (b: boolean) => (b ? 4 : 0);

/** A `<FieldSecurityProfile>` with its fixed id and one `<FieldPermission>` per secured column it opens. */
export function fieldSecurityProfileElement(profile: FieldSecurityProfileDef): XmlElement {
  return el(
    "FieldSecurityProfile",
    { name: profile.name, description: profile.description, fieldsecurityprofileid: `{${profile.id}}` },
    el(
      "FieldPermissions",
      {},
      profile.permissions.map((p) =>
        el(
          "FieldPermission",
          {},
          text("EntityName", p.table),
          text("AttributeName", p.column),
          text("CanRead", allowed(p.read)),
          text("CanUpdate", allowed(p.update)),
          text("CanCreate", allowed(p.create)),
        ),
      ),
    ),
  );
}

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { globalChoices, productTables, relationships, roleDefs, settingDefs } from "../../src/model";
import { dashboardDefs } from "../../src/model/dashboards";
import { formDefs } from "../../src/model/forms";
import { commandDefs } from "../../src/model/ribbon";
import { viewDefs } from "../../src/model/views";
import { webResources } from "../../src/model/webresources";
import { platformTables, platformViews } from "./baseline";
import type { Catalog } from "./catalog";

/** The organization described straight from `src/model/`, with web resources read from a build folder. */
export function catalogFromModel(webResourcesDir: string): Catalog {
  return {
    tables: [...platformTables, ...productTables],
    relationships,
    choices: globalChoices,
    forms: formDefs,
    views: [...platformViews, ...viewDefs],
    dashboards: dashboardDefs,
    commands: commandDefs,
    webResources: webResources.map((w) => {
      const file = join(webResourcesDir, ...w.name.split("/"));
      return { ...w, content: existsSync(file) ? new Uint8Array(readFileSync(file)) : new Uint8Array() };
    }),
    settings: settingDefs,
    roles: roleDefs.map((r) => ({ id: r.id, name: r.name, description: r.description, privileges: [] })),
    solutions: [],
  };
}

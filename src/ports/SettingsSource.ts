import type { Settings } from "../domain/settings";

/** Where the product's settings come from (Dataverse environment variables, cached per session). */
export interface SettingsSource {
  load(): Promise<Settings>;
}

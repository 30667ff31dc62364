import { createHash } from "node:crypto";
import { globalChoices, optionValuePrefix } from "../../../src/model";
import { webResources } from "../../../src/model/webresources";
import { solutionParts } from "../../../solution/buildSolution";
import { publisher } from "../../../solution/platform";

const solutionXml = () => {
  const parts = solutionParts({
    version: "0.1.0",
    managed: false,
    webResources,
    readWebResource: (n) => new TextEncoder().encode(`/* ${n} */`),
  });
  return new TextDecoder().decode(parts.find((p) => p.path === "solution.xml")!.data);
};

describe("the publisher's option value prefix", () => {
  it("is derived from the customization prefix: SHA-256 of it, first four bytes mod 90000, plus 10000", () => {
    const digest = createHash("sha256").update(publisher.prefix).digest();
    expect(optionValuePrefix).toBe(10000 + (digest.readUInt32BE(0) % 90000));
  });

  it("lies in the range Dataverse takes (10000–99999)", () => {
    expect(optionValuePrefix).toBeGreaterThanOrEqual(10000);
    expect(optionValuePrefix).toBeLessThanOrEqual(99999);
  });

  it("is the one solution.xml declares for the publisher", () => {
    expect(publisher.optionValuePrefix).toBe(optionValuePrefix);
    expect(solutionXml()).toContain(`<CustomizationOptionValuePrefix>${optionValuePrefix}</CustomizationOptionValuePrefix>`);
  });

  it.each(globalChoices.map((c) => [c.name, c] as const))("numbers every option of %s as prefix × 10000 + n", (_name, choice) => {
    const values = choice.options.map((o) => o.value);
    for (const v of values) {
      expect(Math.floor(v / 10000)).toBe(optionValuePrefix);
    }
    expect(new Set(values).size).toBe(values.length);
  });
});

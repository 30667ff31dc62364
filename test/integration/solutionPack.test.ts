/** `npm run build:solution` end to end: the two zips, the same bytes twice, and a clear failure when a build is missing. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { webResources } from "../../src/model/webresources";

const root = resolve(__dirname, "../..");
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;

function fakeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), "cfx-dist-"));
  for (const w of webResources) {
    const file = join(dist, ...w.name.split("/"));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `/* ${w.name} */`);
  }
  // A source map beside the bundle, as webpack writes it: it must stay out of the zip.
  writeFileSync(join(dist, "cfx_", "js", "forms.js.map"), "{}");
  return dist;
}

function pack(dist: string, out: string) {
  return spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "solution/pack.ts")], {
    cwd: root,
    env: { ...process.env, CFX_WEBRESOURCES_DIST: dist, CFX_SOLUTION_OUT: out },
    encoding: "utf8",
  });
}

describe("npm run build:solution", () => {
  it("writes the unmanaged and the managed zip, named with the four-part version, and the retention job's zip, the same bytes every time", () => {
    const dist = fakeDist();
    const out = mkdtempSync(join(tmpdir(), "cfx-bin-"));
    const first = pack(dist, out);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const v = version.split(/[-+]/)[0].split(".").concat(["0", "0", "0"]).slice(0, 4).join(".");
    const job = `CaseFileExchange_Retention_${version}.zip`;
    expect(readdirSync(out).sort()).toEqual(
      [
        `CaseFileExchangeCaseStatus_${v}.zip`,
        `CaseFileExchangeCaseStatus_${v}_managed.zip`,
        `CaseFileExchange_${v}.zip`,
        `CaseFileExchange_${v}_managed.zip`,
        job,
      ].sort(),
    );
    const bytes = readFileSync(join(out, `CaseFileExchange_${v}.zip`));
    const jobBytes = readFileSync(join(out, job));
    expect(pack(dist, out).status).toBe(0);
    expect(readFileSync(join(out, `CaseFileExchange_${v}.zip`)).equals(bytes)).toBe(true);
    expect(readFileSync(join(out, job)).equals(jobBytes)).toBe(true);
    expect(bytes.includes(Buffer.from("forms.js.map"))).toBe(false);
  }, 90000);

  it("fails, naming the missing file and `npm run build:web`, when a web resource was not built", () => {
    const dist = fakeDist();
    rmSync(join(dist, "cfx_", "js", "vendor.js"));
    const out = mkdtempSync(join(tmpdir(), "cfx-bin-"));
    const run = pack(dist, out);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cfx_\/js\/vendor\.js.*npm run build:web/);
    expect(readdirSync(out)).toEqual([]);
  }, 30000);
});

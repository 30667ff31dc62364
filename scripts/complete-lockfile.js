#!/usr/bin/env node
// Adds lock entries for optional platform binaries this machine's registry does not serve,
// so `npm ci` validates here and on machines whose registry does serve them.
const fs = require("fs");
const file = process.argv[2];
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const pk = lock.packages;
let added = 0;
for (const entry of Object.values(pk)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies || {})) {
    const key = `node_modules/${name}`;
    if (pk[key]) continue;
    const m = name.match(/-(darwin|linux|win32|freebsd|android|openharmony)-([a-z0-9]+)(?:-([a-z]+))?$/);
    if (!m) continue;
    const [, os, cpuRaw, abi] = m;
    const cpu = cpuRaw;
    const e = {
      version,
      resolved: `https://registry.npmjs.org/${name}/-/${name.split("/").pop()}-${version}.tgz`,
      cpu: [cpu],
      optional: true,
      os: [os],
    };
    if (entry.dev) e.dev = true;
    if (abi && /gnu/.test(abi) && os === "linux") e.libc = ["glibc"];
    if (abi && /musl/.test(abi)) e.libc = ["musl"];
    pk[key] = e;
    added++;
  }
}
const sorted = {};
for (const k of Object.keys(pk).sort((a, b) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b)))) sorted[k] = pk[k];
lock.packages = sorted;
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`added ${added}`);

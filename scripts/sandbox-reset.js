#!/usr/bin/env node
// `npm run sandbox:reset`: deletes the sandbox's state (.sandbox/ or SANDBOX_DATA_DIR) except its
// certificate and signing key; the next `npm start` seeds everything again. A running sandbox is
// reset with `POST /_sandbox/reset` instead.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const dir = path.resolve(process.env.SANDBOX_DATA_DIR || path.join(root, ".sandbox"));
// The certificate (accepted once in the browser) and the token signing key (cached by MSAL) survive.
const keep = new Set(["tls-key.pem", "tls-cert.pem", "identity"]);
if (!fs.existsSync(dir)) {
  console.log(`Nothing to reset: ${dir} does not exist.`);
  process.exit(0);
}
let removed = 0;
for (const entry of fs.readdirSync(dir)) {
  if (keep.has(entry)) continue;
  fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  removed++;
}
console.log(`Sandbox state removed from ${dir} (${removed} entries); the next npm start seeds it again.`);

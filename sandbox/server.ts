import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { platformTables } from "./install/baseline";
import { catalog, tableByName } from "./install/catalog";
import { ImportRefused, installationState, SolutionInstaller, type ImportJob } from "./install/importSolution";
import { packFolder } from "./install/packFolder";
import type { Faults, MailSink, Origins, RegisterPart, SandboxClock, SandboxContext, TokenService } from "./context";
import { loadOrCreateCertificate } from "./cert";
import { createClock } from "./controls/clock";
import { installFaults, noFaults } from "./controls/faults";
import { createPolicyStore } from "./controls/policy";
import { RequestLog } from "./controls/requestLog";
import { registerControls, sessionCookie } from "./controls/routes";
import { deliverPending } from "./dataverse/actions";
import { batchPartHeader } from "./dataverse/batch";
import { registerDataverse } from "./dataverse/routes";
import { refreshSandboxSettings, seedDataverse } from "./seed/dataverse";
import { userByKey, type SandboxUser } from "./seed/people";
import { registerShell } from "./shell/routes";
import { registerWebResources } from "./shell/webResources";
import { clearDatabase, openDatabase } from "./store/database";
import { RowStore } from "./store/rows";

export interface StartSandboxOptions {
  /** App origin port; Graph listens on port+1, the SharePoint host on port+2. Default 8400. */
  readonly port?: number;
  /** Where the SQLite file, blobs and certificate live. Default `.sandbox/` in the repository. */
  readonly dataDir?: string;
  /** The built web resources. Default `webresources/dist/`. */
  readonly webResourcesDir?: string;
  /**
   * The solution zip to import at start (`npm start` passes the one `npm run build:solution`
   * wrote). Without it, the sandbox packs one in memory from `webResourcesDir` and the model.
   */
  readonly solutionZip?: string;
  /** Microsoft's XSDs for whole-document validation at import. Default `../shared/schemas` beside the repository, when present. */
  readonly schemasDir?: string;
  /** Called with each line of the start-up import's log (`npm start` prints them). */
  readonly onImportLog?: (job: ImportJob) => void;
  /** Fastify's request logging (off by default: the request log is at `/_sandbox/requests`). */
  readonly logger?: boolean;
}

export interface RunningSandbox {
  readonly origins: Origins;
  readonly ctx: SandboxContext;
  close(): Promise<void>;
}

export const repoRoot = resolve(__dirname, "..");

export function originsFor(port: number): Origins {
  return { app: `https://localhost:${port}`, graph: `https://localhost:${port + 1}`, sharepoint: `https://127.0.0.1:${port + 2}` };
}

/** Imports a part of the sandbox that another engineer may not have written yet; undefined when absent. */
async function optionalModule<T>(relative: string): Promise<T | undefined> {
  const path = join(__dirname, relative);
  try {
    return (await import(path)) as T;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const missing =
      (err.code === "MODULE_NOT_FOUND" || err.code === "ERR_MODULE_NOT_FOUND") &&
      String(err.message).includes(relative.replace(/^\.\//, ""));
    if (missing) return undefined;
    throw e;
  }
}

/** A stand-in until sandbox/mail lands: keeps messages in memory. */
function memoryMailSink(): MailSink & { messages: unknown[] } {
  const messages: unknown[] = [];
  return {
    messages,
    send(message) {
      const sent = { id: crypto.randomUUID(), sentAt: new Date().toISOString() };
      messages.push({ ...sent, ...message });
      return sent;
    },
  };
}

function userFromCookie(header: string | undefined): SandboxUser | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === sessionCookie) return userByKey(decodeURIComponent(rest.join("=")));
  }
  return undefined;
}

/**
 * Imports the product as a customizer would: the zip `npm run build:solution` wrote, or one packed
 * in memory from the built web resources. A refused import stops the start with the import's log.
 */
async function installProduct(installer: SolutionInstaller, options: StartSandboxOptions): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
  let zip: Uint8Array;
  let source: string;
  let missing: string[] = [];
  if (options.solutionZip) {
    if (!existsSync(options.solutionZip)) throw new Error(`The solution zip ${options.solutionZip} does not exist: run npm run build.`);
    zip = new Uint8Array(readFileSync(options.solutionZip));
    source = basename(options.solutionZip);
  } else {
    ({ zip, missing } = await packFolder(options.webResourcesDir ?? join(repoRoot, "webresources/dist"), pkg.version));
    source = "the solution packed from the model and the built web resources";
  }
  await installer.restore();
  try {
    const job = await installer.import(zip, source);
    options.onImportLog?.(
      missing.length
        ? {
            ...job,
            log: [
              ...job.log,
              { at: job.completedOn, level: "warning", message: `Not built, imported as placeholders: ${missing.join(", ")}.` },
            ],
          }
        : job,
    );
  } catch (e) {
    if (e instanceof ImportRefused) options.onImportLog?.(e.job);
    throw e;
  }
}

/** `POST /_sandbox/import` (a solution zip as the body) and `GET /_sandbox/imports`: import as a customizer would, and the import jobs' logs. */
function registerImport(app: FastifyInstance, installer: SolutionInstaller): void {
  app.addContentTypeParser(["application/zip", "application/octet-stream"], { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  app.post("/_sandbox/import", async (req, reply) => {
    const body = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      return reply.code(400).send({ error: "Send the solution zip as the body, with content-type application/zip." });
    }
    const name = typeof req.headers["x-file-name"] === "string" ? req.headers["x-file-name"] : "the posted solution zip";
    try {
      return await installer.import(new Uint8Array(body), name);
    } catch (e) {
      if (e instanceof ImportRefused) return reply.code(400).send({ ...e.job, error: e.refusal.message });
      throw e;
    }
  });
  app.get("/_sandbox/imports", async () => installer.jobs());
}

/** Starts the sandbox: three https origins over one SQLite store, seeded on first start. */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const port = options.port ?? 8400;
  const dataDir = resolve(options.dataDir ?? join(repoRoot, ".sandbox"));
  const blobDir = join(dataDir, "blobs");
  mkdirSync(blobDir, { recursive: true });
  const origins = originsFor(port);
  const tls = await loadOrCreateCertificate(dataDir);
  const db = openDatabase(dataDir, platformTables);
  const rows = new RowStore(db);
  const clock = createClock(db);
  const installer = new SolutionInstaller({
    db,
    rows,
    dataDir,
    now: () => clock.now(),
    schemasDir: options.schemasDir ?? resolve(repoRoot, "../shared/schemas"),
  });
  await installProduct(installer, options).catch((e: unknown) => {
    db.close();
    throw e;
  });
  const policy = createPolicyStore(db);
  const log = new RequestLog();
  let faults: Faults = noFaults;

  const tokensModule = await optionalModule<{
    createTokenService(o: { dataDir: string; origins: Origins; clock: SandboxClock }): Promise<TokenService>;
  }>("./identity/tokens");
  if (!tokensModule) throw new Error("sandbox/identity/tokens.ts is missing: the sandbox cannot issue tokens.");
  const tokens = await tokensModule.createTokenService({ dataDir, origins, clock });
  const mailModule = await optionalModule<{ createMailSink(db: unknown, clock?: SandboxClock): MailSink }>("./mail/sink");
  const fallbackMail = mailModule ? undefined : memoryMailSink();
  const mail = mailModule ? mailModule.createMailSink(db, clock) : (fallbackMail as MailSink);

  const resetSteps: (() => void | Promise<void>)[] = [];
  const ctx: SandboxContext = {
    db,
    dataDir,
    blobDir,
    origins,
    clock,
    faults: () => faults,
    policy: policy.get,
    tokens,
    mail,
    appUserFromCookie: userFromCookie,
    onReset: (step) => void resetSteps.push(step),
  };

  const person = (key: string) => rows.get(tableByName("systemuser"), userByKey(key)?.id ?? "") !== undefined;
  // A data folder seeded before the sandbox knew business units, teams and role assignments is seeded
  // again as a whole (a reset, once every part is registered): its people would hold no roles.
  const outdatedSeed = person("agent") && !person("dispatcher");
  if (!person("agent")) seedDataverse(rows, clock, origins);
  else if (!outdatedSeed) refreshSandboxSettings(rows, origins);
  // The seed made the business units: each now gets its copy of every imported role.
  installer.writePlatformRows();
  ctx.onReset(() => {
    clearDatabase(db, catalog().tables, installationState);
    clock.reset();
    policy.reset();
    faults = noFaults;
    log.clear();
    seedDataverse(rows, clock, origins);
    installer.writePlatformRows();
  });

  const https = { key: tls.key, cert: tls.cert };
  const make = () =>
    Fastify({
      https,
      logger: options.logger ?? false,
      bodyLimit: 64 * 1024 * 1024,
      forceCloseConnections: true,
    }) as unknown as FastifyInstance;
  const app = make();
  const graph = make();
  const sharepoint = make();

  // Dataverse accepts an empty body with a JSON content type (clients send the header on DELETE).
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = String(body);
    if (!text.trim()) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error("The request body is not valid JSON."), { statusCode: 400 }), undefined);
    }
  });

  const isControl = (req: FastifyRequest) => req.url.startsWith("/_sandbox/") || req.url === "/healthz";
  const isBatchPart = (req: FastifyRequest) => req.headers[batchPartHeader] !== undefined;
  log.install(app, origins.app, (req) => isControl(req) || isBatchPart(req));
  log.install(graph, origins.graph, () => false);
  log.install(sharepoint, origins.sharepoint, isControl);
  installFaults(app, {
    kind: "dataverse",
    faults: ctx.faults,
    log,
    origin: origins.app,
    applies: (req) => req.url.startsWith("/api/data/") && !isBatchPart(req),
  });
  installFaults(graph, { kind: "graph", faults: ctx.faults, log, origin: origins.graph, applies: () => true });
  installFaults(sharepoint, { kind: "sharepoint", faults: ctx.faults, log, origin: origins.sharepoint, applies: (req) => !isControl(req) });

  registerControls(app, {
    ctx,
    log,
    setFaults: (f) => {
      faults = f;
    },
    updatePolicy: (patch) => {
      const wasApproved = policy.get().mailboxApproved;
      const next = policy.update(patch);
      // Approving the mailbox lets the e-mails waiting in Pending Send go out, as server-side sync does.
      if (!wasApproved && next.mailboxApproved) deliverPending(rows, mail);
      return next;
    },
    reset: async () => {
      for (const step of resetSteps) await step();
    },
  });
  registerDataverse(app, ctx);
  registerImport(app, installer);
  registerWebResources(app);
  registerShell(app, ctx, () => installer.jobs());

  const parts: [string, string, FastifyInstance][] = [
    ["./identity/index", "registerIdentity", app],
    ["./graph/index", "registerGraph", graph],
    ["./sharepoint/index", "registerSharePointHost", sharepoint],
    ["./mail/index", "registerMail", app],
    ["./guest/index", "registerGuest", app],
    ["./retention", "registerRetention", app],
  ];
  for (const [path, name, instance] of parts) {
    const mod = await optionalModule<Record<string, RegisterPart>>(path);
    if (mod && typeof mod[name] === "function") await mod[name](instance, ctx);
  }
  if (outdatedSeed) for (const step of resetSteps) await step();
  if (!app.hasRoute({ method: "GET", url: "/_sandbox/mail" })) {
    app.get("/_sandbox/mail", async () => fallbackMail?.messages ?? []);
  }

  try {
    await app.listen({ port, host: "localhost" });
    await graph.listen({ port: port + 1, host: "localhost" });
    await sharepoint.listen({ port: port + 2, host: "127.0.0.1" });
  } catch (e) {
    await Promise.allSettled([app.close(), graph.close(), sharepoint.close()]);
    db.close();
    throw e;
  }

  return {
    origins,
    ctx,
    async close() {
      await Promise.all([app.close(), graph.close(), sharepoint.close()]);
      db.close();
    },
  };
}

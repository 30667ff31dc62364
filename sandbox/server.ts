import { mkdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { join, resolve } from "node:path";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { platformTables } from "./install/baseline";
import { catalog, tableByName } from "./install/catalog";
import { ImportRefused, installationState, SolutionInstaller, type ImportJob } from "./install/importSolution";
import { packFolder } from "./install/packFolder";
import type { Faults, MailSink, Origins, RegisterPart, SandboxClock, SandboxContext, TokenService } from "./context";
import { loadOrCreateCertificate, type TlsFiles } from "./cert";
import { createClock } from "./controls/clock";
import { installFaults, noFaults } from "./controls/faults";
import { listenHttps, probe, type Listener } from "./controls/listeners";
import { createPolicyStore } from "./controls/policy";
import { RequestLog } from "./controls/requestLog";
import { registerControls, sessionCookie } from "./controls/routes";
import { deliverPending } from "./dataverse/actions";
import { batchPartHeader } from "./dataverse/batch";
import { registerDataverse } from "./dataverse/routes";
import { refreshEntraIds, refreshSandboxSettings, seedDataverse } from "./seed/dataverse";
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
  /** Called after each `POST /_sandbox/restart`, with the error when the servers did not come back. */
  readonly onRestart?: (error?: unknown) => void;
}

export interface RunningSandbox {
  readonly origins: Origins;
  /** The running servers' context; a restart builds a new one over the same files. */
  readonly ctx: SandboxContext;
  /**
   * Stops the three origins (their connections are cut, `keep` excepted), closes the database and
   * starts everything again on the same ports over the same data folder, as a new process would;
   * resolves once `/healthz` answers 200.
   */
  restart(keep?: Socket): Promise<void>;
  close(): Promise<void>;
}

/** What a restart carries over besides the files: the test harness's own switches and log. */
interface Carried {
  readonly log: RequestLog;
  faults: Faults;
  /** The in-memory mail stand-in (only while sandbox/mail is absent). */
  fallbackMail?: MailSink & { messages: unknown[] };
}

/** One start of the sandbox: three origins over one open database. */
interface Servers {
  readonly ctx: SandboxContext;
  /** Cuts every connection (`keep` excepted), closes the Fastify instances and the database. Idempotent. */
  stop(keep?: Socket): Promise<void>;
  /** Resolves once every connection has ended. */
  readonly closed: Promise<void>;
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
  let zips: { zip: Uint8Array; source: string }[];
  let missing: string[] = [];
  if (options.solutionZip) {
    if (!existsSync(options.solutionZip)) throw new Error(`The solution zip ${options.solutionZip} does not exist: run npm run build.`);
    zips = [{ zip: new Uint8Array(readFileSync(options.solutionZip)), source: basename(options.solutionZip) }];
    // The Case status solution beside it, imported after it as deploy.md says (absent: left out).
    const caseStatus = join(
      dirname(options.solutionZip),
      basename(options.solutionZip).replace(/^CaseFileExchange_/, "CaseFileExchangeCaseStatus_"),
    );
    if (caseStatus !== options.solutionZip && existsSync(caseStatus))
      zips.push({ zip: new Uint8Array(readFileSync(caseStatus)), source: basename(caseStatus) });
  } else {
    const packed = await packFolder(options.webResourcesDir ?? join(repoRoot, "webresources/dist"), pkg.version);
    missing = packed.missing;
    zips = [
      { zip: packed.zip, source: "the solution packed from the model and the built web resources" },
      { zip: packed.caseStatusZip, source: "the Case status solution packed from the model" },
    ];
  }
  await installer.restore();
  for (const [i, { zip, source }] of zips.entries()) {
    try {
      const job = await installer.import(zip, source);
      options.onImportLog?.(
        i === 0 && missing.length
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

/**
 * Starts the sandbox: three https origins over one SQLite store, seeded on first start.
 * `POST /_sandbox/restart` stops and starts them again in this process over the same files.
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const port = options.port ?? 8400;
  const dataDir = resolve(options.dataDir ?? join(repoRoot, ".sandbox"));
  const origins = originsFor(port);
  const tls = await loadOrCreateCertificate(dataDir);
  const carried: Carried = { log: new RequestLog(), faults: noFaults };
  // Restarts and the final close run one at a time, each on the servers the previous one left.
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(step: () => Promise<T>): Promise<T> => {
    const next = queue.then(step);
    queue = next.catch(() => undefined);
    return next;
  };
  const restart = (keep?: Socket) =>
    oneAtATime(async () => {
      try {
        await current.stop(keep);
        current = await startServers(options, { port, dataDir, tls, carried, restart, afterRestart: true });
        await untilHealthy(`${origins.app}/healthz`, tls.cert);
        options.onRestart?.();
      } catch (e) {
        options.onRestart?.(e);
        throw e;
      }
    });
  let current = await startServers(options, { port, dataDir, tls, carried, restart, afterRestart: false });
  return {
    origins,
    get ctx() {
      return current.ctx;
    },
    restart,
    close: () =>
      oneAtATime(async () => {
        await current.stop();
        await current.closed;
      }),
  };
}

/** Waits for `/healthz` to answer 200 (ten seconds at most). */
async function untilHealthy(url: string, ca: string): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    const status = await probe(url, ca);
    if (status === 200) return;
    if (Date.now() > until) throw new Error(`${url} answered ${status || "nothing"} after the restart.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface StartParts {
  readonly port: number;
  readonly dataDir: string;
  readonly tls: TlsFiles;
  readonly carried: Carried;
  readonly restart: (keep?: Socket) => Promise<void>;
  /** A restart: the ports may still be held for a moment by the servers just closed. */
  readonly afterRestart: boolean;
}

/** Opens the store, imports the solution, builds the three origins and listens. */
async function startServers(options: StartSandboxOptions, start: StartParts): Promise<Servers> {
  const { port, dataDir, tls, carried } = start;
  const blobDir = join(dataDir, "blobs");
  mkdirSync(blobDir, { recursive: true });
  const origins = originsFor(port);
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
  const log = carried.log;

  const tokensModule = await optionalModule<{
    createTokenService(o: { dataDir: string; origins: Origins; clock: SandboxClock }): Promise<TokenService>;
  }>("./identity/tokens");
  if (!tokensModule) throw new Error("sandbox/identity/tokens.ts is missing: the sandbox cannot issue tokens.");
  const tokens = await tokensModule.createTokenService({ dataDir, origins, clock });
  const mailModule = await optionalModule<{ createMailSink(db: unknown, clock?: SandboxClock): MailSink }>("./mail/sink");
  if (!mailModule) carried.fallbackMail ??= memoryMailSink();
  const fallbackMail = mailModule ? undefined : carried.fallbackMail;
  const mail = mailModule ? mailModule.createMailSink(db, clock) : (fallbackMail as MailSink);

  const resetSteps: (() => void | Promise<void>)[] = [];
  const ctx: SandboxContext = {
    db,
    dataDir,
    blobDir,
    origins,
    clock,
    faults: () => carried.faults,
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
  else if (!outdatedSeed) {
    refreshSandboxSettings(rows, origins);
    refreshEntraIds(rows);
  }
  // The seed made the business units: each now gets its copy of every imported role.
  installer.writePlatformRows();
  ctx.onReset(() => {
    clearDatabase(db, catalog().tables, installationState);
    clock.reset();
    policy.reset();
    carried.faults = noFaults;
    log.clear();
    seedDataverse(rows, clock, origins);
    installer.writePlatformRows();
  });

  // The instances never listen themselves: listenHttps serves their routing (see there why).
  const make = () =>
    Fastify({
      logger: options.logger ?? false,
      bodyLimit: 64 * 1024 * 1024,
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
      carried.faults = f;
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
    restart: start.restart,
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

  const instances = [app, graph, sharepoint];
  const closeAll = async () => {
    await Promise.allSettled(instances.map((i) => i.close()));
    db.close();
  };
  const listeners: Listener[] = [];
  try {
    await Promise.all(instances.map((i) => i.ready()));
    const binds: [FastifyInstance, string, number][] = [
      [app, "localhost", port],
      [graph, "localhost", port + 1],
      [sharepoint, "127.0.0.1", port + 2],
    ];
    for (const [instance, host, p] of binds) {
      const serve = (req: IncomingMessage, res: ServerResponse) => instance.routing(req, res);
      listeners.push(await listenHttps(serve, { host, port: p, key: tls.key, cert: tls.cert, retryWhileInUse: start.afterRestart }));
    }
  } catch (e) {
    await Promise.all(listeners.map((l) => l.stop()));
    await closeAll();
    throw e;
  }

  let stopped: Promise<void> | undefined;
  return {
    ctx,
    closed: Promise.all(listeners.map((l) => l.closed)).then(() => undefined),
    stop: (keep) =>
      (stopped ??= (async () => {
        await Promise.all(listeners.map((l) => l.stop(keep)));
        // A handler still running on a cut connection fails at its next use of the closed
        // database, as work stops in a process killed mid-request (each SQLite write commits
        // whole or not at all).
        await closeAll();
      })()),
  };
}

/**
 * `npm start`: the sandbox as a process. Prints the app's base URL on a line of its own (tools
 * wait for it), then the other origins and how to sign in.
 */
import { users } from "./seed/people";
import { startSandbox } from "./server";

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8400);
  if (!Number.isInteger(port) || port <= 0 || port > 65533) throw new Error(`PORT must be a port number, not "${process.env.PORT}".`);
  const started = Date.now();
  const sandbox = await startSandbox({
    port,
    dataDir: process.env.SANDBOX_DATA_DIR,
    webResourcesDir: process.env.SANDBOX_WEBRESOURCES_DIR,
    solutionZip: process.env.SANDBOX_SOLUTION_ZIP,
    onImportLog: (job) => {
      for (const line of job.log) {
        const where = line.file ? `${line.file}: ${line.element}: ` : "";
        (line.level === "error" ? console.error : console.log)(
          `  import ${line.level === "info" ? "" : `${line.level}: `}${where}${line.message}`,
        );
      }
      if (job.succeeded) console.log(`Imported solution ${job.solution} ${job.version} (${job.source}).`);
    },
    onRestart: (error) => {
      if (!error) return console.log("Restarted (POST /_sandbox/restart).");
      // Nothing listens any more: end the process once the restart's answer (500) is out.
      console.error("The sandbox did not come back after POST /_sandbox/restart:", error);
      setTimeout(() => process.exit(1), 1000);
    },
  });
  const { app, graph, sharepoint } = sandbox.origins;
  console.log(app);
  console.log(`Case File Exchange sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  Dynamics 365 app:  ${app}/  (self-signed certificate: accept it once in the browser)`);
  console.log(
    `  Sign in as:        ${app}/_sandbox/signin?user=agent  (or ${users
      .filter((u) => u.key !== "agent")
      .map((u) => u.key)
      .join(", ")})`,
  );
  console.log(`  Dataverse Web API: ${app}/api/data/v9.2/`);
  console.log(`  Microsoft Graph:   ${graph}/v1.0/`);
  console.log(`  SharePoint host:   ${sharepoint}/`);
  console.log(`  Sent e-mail:       ${app}/mail`);
  const stop = async () => {
    // Never hang on shutdown: a stuck connection must not keep the ports.
    setTimeout(() => process.exit(0), 3000).unref();
    await sandbox.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((e: unknown) => {
  const err = e as { code?: string; message?: string; name?: string };
  if (err.name === "ImportRefused") console.error(`${err.message}\nThe sandbox did not start: fix the solution and run npm start again.`);
  else if (err.code === "EADDRINUSE")
    console.error(`The port is in use (${err.message}). Stop the other sandbox or set PORT to another port.`);
  else console.error(e);
  process.exit(1);
});

import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { QuickXorHash } from "../../src/adapters/graph/quickXorHash";
import type { Principal, SandboxContext } from "../context";
import { graphEnv } from "../graph/env";
import { isGraphHttpError } from "../graph/errors";
import { atLeast, driveId } from "../graph/library";
import { accessFor, blobPath, commitFile, downloadUrlFor, ensureBlobDir, type GraphEnv } from "../graph/service";
import { newItemId } from "../graph/ids";
import { checkName, checkPathLength } from "../graph/names";
import type { ItemRow } from "../graph/store";
import { guestObjectId } from "../identity/tokens";
import { writeBody } from "../sharepoint/blobWriter";
import { codeForm, emailForm, folderPage, refusal } from "./pages";
import { GuestStore } from "./store";
import { oneTimeCodeMail } from "./codeMail";

const cookieName = "cfx_guest";

function guestPrincipal(email: string): Principal {
  return { kind: "guest", email, claims: { oid: guestObjectId(email), email } };
}

async function readForm(body: Readable | undefined): Promise<URLSearchParams> {
  if (!body) return new URLSearchParams();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of body as AsyncIterable<Buffer>) {
    chunks.push(c);
    size += c.length;
    if (size > 16 * 1024) break;
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function cookieValue(header: string | undefined): string | undefined {
  return /(?:^|;\s*)cfx_guest=([^;]+)/.exec(header ?? "")?.[1];
}

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).header("content-type", "text/html; charset=utf-8").header("cache-control", "no-store").send(body);

/**
 * The customer's side, standing in for SharePoint's guest experience with Entra's e-mailed one-time
 * code: invitation link → e-mail address → code by mail → only what was shared with that address.
 */
export async function registerGuest(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const env: GraphEnv = graphEnv(ctx);
  const guests = new GuestStore(ctx.db);
  ctx.onReset(() => guests.clear());
  const now = () => ctx.clock.now().getTime();

  const invitation = (id: string) => {
    const p = env.store.permission(id);
    if (!p || p.kind !== "user" || !p.email) return undefined;
    const item = env.store.item(p.item_id);
    return item ? { permission: p, item, email: p.email } : undefined;
  };
  const gone = (reply: FastifyReply) =>
    html(
      reply,
      404,
      refusal(
        "This link doesn't work",
        "This sharing invitation is no longer valid: access was removed or the folder was deleted. Ask the person who shared it with you.",
      ),
    );

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));

    scope.get("/guest/invite/:id", async (request, reply) => {
      const inv = invitation((request.params as { id: string }).id);
      if (!inv) return gone(reply);
      const email = guests.sessionEmail(cookieValue(request.headers.cookie), now());
      if (email === inv.email) return reply.redirect(`/guest/folder/${inv.item.id}`);
      return html(reply, 200, emailForm(`/guest/invite/${inv.permission.id}/code`, inv.item.name));
    });

    scope.post("/guest/invite/:id/code", async (request, reply) => {
      const inv = invitation((request.params as { id: string }).id);
      if (!inv) return gone(reply);
      const email = ((await readForm(request.body as Readable)).get("email") ?? "").trim().toLowerCase();
      if (email !== inv.email) {
        return html(
          reply,
          403,
          emailForm(
            `/guest/invite/${inv.permission.id}/code`,
            inv.item.name,
            "This invitation was not sent to that address. Use the address the invitation e-mail came to.",
          ),
        );
      }
      const code = guests.issueCode(inv.permission.id, email, now());
      ctx.mail.send(oneTimeCodeMail(email, code));
      return html(reply, 200, codeForm(`/guest/invite/${inv.permission.id}/verify`, email));
    });

    scope.post("/guest/invite/:id/verify", async (request, reply) => {
      const inv = invitation((request.params as { id: string }).id);
      if (!inv) return gone(reply);
      const form = await readForm(request.body as Readable);
      const email = (form.get("email") ?? "").trim().toLowerCase();
      if (email !== inv.email) return html(reply, 403, refusal("Access denied", "This invitation was not sent to that address."));
      const outcome = guests.redeemCode(inv.permission.id, email, form.get("code") ?? "", now());
      const action = `/guest/invite/${inv.permission.id}/verify`;
      if (outcome === "wrong")
        return html(reply, 401, codeForm(action, email, "That code is not right. Check the latest e-mail and try again."));
      if (outcome !== "ok") {
        return html(
          reply,
          401,
          emailForm(
            `/guest/invite/${inv.permission.id}/code`,
            inv.item.name,
            "That code has expired or was already used. Ask for a new one.",
          ),
        );
      }
      env.store.markRedeemed(email, guestObjectId(email), ctx.clock.now().toISOString());
      const session = guests.startSession(email, now());
      return reply
        .header("set-cookie", `${cookieName}=${session}; Path=/guest; HttpOnly; Secure; SameSite=Lax`)
        .redirect(`/guest/folder/${inv.item.id}`, 303);
    });

    /** The signed-in guest and their access to an item, or a refusal already sent. */
    const authorize = (request: FastifyRequest, reply: FastifyReply, itemId: string) => {
      const email = guests.sessionEmail(cookieValue(request.headers.cookie), now());
      if (!email) {
        void html(reply, 401, refusal("Sign in needed", "Open the link in your invitation e-mail to sign in."));
        return undefined;
      }
      const item = env.store.item(itemId);
      const chain = item ? env.store.ancestry(item.id) : [];
      const access = item ? accessFor(env, guestPrincipal(email), chain) : null;
      if (!item || !access) {
        void html(reply, 403, refusal("Access denied", "You don't have access to this item. Only what was shared with you can be opened."));
        return undefined;
      }
      return { email, item, chain, access };
    };

    scope.get("/guest/folder/:id", async (request, reply) => {
      const a = authorize(request, reply, (request.params as { id: string }).id);
      if (!a) return reply;
      if (!a.item.is_folder) return reply.redirect(`/guest/file/${a.item.id}`);
      const entries = env.store
        .children(a.item.id, 0, 1000)
        .map((r) => ({ id: r.id, name: r.name, isFolder: !!r.is_folder, size: r.size, modified: r.modified_at }));
      const parent = a.chain.length > 1 ? a.chain[a.chain.length - 2] : undefined;
      const parentVisible = parent && accessFor(env, guestPrincipal(a.email), a.chain.slice(0, -1));
      return html(
        reply,
        200,
        folderPage({
          id: a.item.id,
          name: a.item.name,
          email: a.email,
          canUpload: atLeast(a.access, "write"),
          entries,
          parentId: parentVisible ? parent.id : undefined,
        }),
      );
    });

    scope.get("/guest/file/:id", async (request, reply) => {
      const a = authorize(request, reply, (request.params as { id: string }).id);
      if (!a) return reply;
      if (a.item.is_folder) return reply.redirect(`/guest/folder/${a.item.id}`);
      return reply.redirect(downloadUrlFor(env, a.item));
    });

    scope.put("/guest/folder/:id/upload", async (request, reply) => {
      const a = authorize(request, reply, (request.params as { id: string }).id);
      if (!a) return reply;
      if (!a.item.is_folder || !atLeast(a.access, "write")) {
        return reply.code(403).type("text/plain").send("You can view this folder but not upload to it.");
      }
      // `path` places the file below the folder (`logs/2026/app.log`, from a folder the guest
      // picked), creating the sub-folders as the guest, as SharePoint's folder upload does; `name`
      // is a file straight into the folder.
      const query = request.query as { name?: string; path?: string; conflict?: string };
      // Empty segments (`a//b`, a trailing `/`) are refused with the names SharePoint refuses.
      const segments = String(query.path ?? query.name ?? "").split("/");
      const conflict = query.conflict === "replace" ? "replace" : "rename";
      try {
        for (const seg of segments) checkName(seg);
        checkPathLength([...a.chain.slice(1).map((r) => r.name), ...segments]);
      } catch (e) {
        if (isGraphHttpError(e)) return reply.code(400).type("text/plain").send(e.message);
        throw e;
      }
      const name = segments[segments.length - 1]!;
      const actor = JSON.stringify({ kind: "user", id: guestObjectId(a.email), displayName: a.email, email: a.email });
      let parent = { row: a.item, chain: a.chain };
      for (const seg of segments.slice(0, -1)) {
        const existing = env.store.child(parent.row.id, seg);
        if (existing && !existing.is_folder) return reply.code(409).type("text/plain").send(`A file called ${seg} is already there.`);
        const row = existing ?? createGuestFolder(env, actor, parent.row.id, seg);
        parent = { row, chain: [...parent.chain, row] };
      }
      ensureBlobDir(env);
      const blob = `guest-${randomUUID()}`;
      const hash = new QuickXorHash();
      const declared = request.headers["content-length"];
      const { bytes } = await writeBody(request.body as Readable, {
        file: blobPath(env, blob),
        offset: 0,
        hash,
        expectedLength: declared ? Number(declared) : undefined,
      });
      const { loc } = commitFile(env, actor, parent, name, conflict, {
        blob,
        size: bytes,
        quickXorHash: hash.digest(),
      });
      return reply.code(201).send({ id: loc.row.id, name: loc.row.name, size: loc.row.size });
    });
  });
}

/** A sub-folder a guest's folder upload needs, created as the guest. */
function createGuestFolder(env: GraphEnv, actor: string, parentId: string, name: string): ItemRow {
  const now = env.ctx.clock.now().toISOString();
  const id = newItemId();
  env.store.insertItem({
    id,
    drive_id: driveId,
    parent_id: parentId,
    name,
    is_folder: 1,
    size: 0,
    blob: null,
    quick_xor: null,
    mime: null,
    created_at: now,
    modified_at: now,
    created_by: actor,
    modified_by: actor,
  });
  return env.store.item(id)!;
}

import { escapeHtml } from "../mail/inboxPage";

/** The plain frame of every guest page: it stands in for SharePoint's and Entra's guest experience. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}
.refusal{border-left:4px solid #a4262c;background:#fde7e9;padding:.6rem 1rem}.note{color:#555}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd}
label{display:block;margin:.6rem 0 .2rem}input[type=email],input[type=text]{padding:.35rem;width:18rem}button{margin-top:.6rem;padding:.35rem 1rem}</style></head>
<body><p class="note">Contoso · SharePoint (sandbox stand-in for the guest experience)</p><h1>${escapeHtml(title)}</h1>
${body}</body></html>`;
}

export function refusal(title: string, message: string): string {
  return page(title, `<p class="refusal" role="alert">${escapeHtml(message)}</p>`);
}

export function emailForm(action: string, folderName: string, error?: string): string {
  return page(
    "Verify your identity",
    `${error ? `<p class="refusal" role="alert">${escapeHtml(error)}</p>` : ""}
<p>Someone shared the folder <b>${escapeHtml(folderName)}</b> with you. Enter the e-mail address the invitation was sent to; we will e-mail you a one-time code.</p>
<form method="post" action="${escapeHtml(action)}"><label for="email">E-mail address</label><input id="email" name="email" type="email" required autocomplete="email">
<br><button type="submit">Send code</button></form>`,
  );
}

export function codeForm(action: string, email: string, error?: string): string {
  return page(
    "Enter code",
    `${error ? `<p class="refusal" role="alert">${escapeHtml(error)}</p>` : ""}
<p>We sent a one-time code to <b>${escapeHtml(email)}</b>. It is valid for 10 minutes.</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="email" value="${escapeHtml(email)}">
<label for="code">Code</label><input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required>
<br><button type="submit">Sign in</button></form>`,
  );
}

export interface FolderEntry {
  readonly id: string;
  readonly name: string;
  readonly isFolder: boolean;
  readonly size: number;
  readonly modified: string;
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function folderPage(o: {
  id: string;
  name: string;
  email: string;
  canUpload: boolean;
  entries: readonly FolderEntry[];
  parentId?: string;
}): string {
  const rows = o.entries
    .map((e) =>
      e.isFolder
        ? `<tr><td>📁 <a href="/guest/folder/${encodeURIComponent(e.id)}">${escapeHtml(e.name)}</a></td><td></td><td>${escapeHtml(e.modified.slice(0, 10))}</td></tr>`
        : `<tr><td><a href="/guest/file/${encodeURIComponent(e.id)}" download>${escapeHtml(e.name)}</a></td><td>${formatSize(e.size)}</td><td>${escapeHtml(e.modified.slice(0, 10))}</td></tr>`,
    )
    .join("");
  const upload = o.canUpload
    ? `<h2>Upload</h2>
<p><label for="files">Files</label> <input id="files" type="file" multiple></p>
<p><label for="folder">A folder (with everything in it)</label> <input id="folder" type="file" webkitdirectory multiple></p>
<p><button id="send" type="button">Upload</button> <progress id="progress" max="1" value="0" hidden></progress></p>
<p id="status" role="status"></p>
<script>
document.getElementById("send").onclick = async () => {
  const status = document.getElementById("status");
  const progress = document.getElementById("progress");
  // A folder's files carry their place below the picked folder (webkitRelativePath: "logs/app.log").
  const picked = [...document.getElementById("files").files].map((f) => ({ f, path: f.name }))
    .concat([...document.getElementById("folder").files].map((f) => ({ f, path: f.webkitRelativePath || f.name })));
  if (picked.length === 0) { status.textContent = "Choose files or a folder first."; return; }
  const total = picked.reduce((n, p) => n + p.f.size, 0) || 1;
  let done = 0;
  progress.hidden = false;
  for (const { f, path } of picked) {
    status.textContent = "Uploading " + path + "…";
    const r = await fetch("/guest/folder/${encodeURIComponent(o.id)}/upload?path=" + encodeURIComponent(path), { method: "PUT", body: f });
    if (!r.ok) { status.textContent = path + ": " + (await r.text()); return; }
    done += f.size;
    progress.value = done / total;
  }
  status.textContent = picked.length === 1 ? "1 file uploaded." : picked.length + " files uploaded.";
  location.reload();
};
</script>`
    : `<p class="note">You can view and download these files. Uploading is not allowed here.</p>`;
  return page(
    o.name,
    `<p class="note">Signed in as ${escapeHtml(o.email)}${o.parentId ? ` · <a href="/guest/folder/${encodeURIComponent(o.parentId)}">Up</a>` : ""}</p>
<table><thead><tr><th>Name</th><th>Size</th><th>Modified</th></tr></thead><tbody>${rows || '<tr><td colspan="3">This folder is empty.</td></tr>'}</tbody></table>
${upload}`,
  );
}

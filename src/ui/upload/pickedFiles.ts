import type { LocalFile } from "../../app/uploadBackup";

/** Files from an `<input type="file">`; a folder pick (`webkitdirectory`) keeps each file's path inside it. */
export function filesFromInput(list: FileList | null): LocalFile[] {
  return Array.from(list ?? []).map((file) => ({
    file,
    relativePath: file.webkitRelativePath || file.name,
    size: file.size,
    lastModified: file.lastModified,
  }));
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries hands out at most 100 entries per call: read until it returns none.
  return new Promise((resolve, reject) => {
    const out: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(out);
        else {
          out.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: LocalFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, relativePath: prefix + file.name, size: file.size, lastModified: file.lastModified });
  } else if (entry.isDirectory) {
    const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
    for (const child of children) await walk(child, `${prefix}${entry.name}/`, out);
  }
}

/** Files and whole folders dropped on the dialog, with their folder structure. */
export async function filesFromDrop(data: DataTransfer): Promise<LocalFile[]> {
  const entries = Array.from(data.items ?? [])
    .filter((i) => i.kind === "file")
    .map((i) => i.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => Boolean(e));
  if (entries.length === 0) return filesFromInput(data.files);
  const out: LocalFile[] = [];
  for (const e of entries) await walk(e, "", out);
  return out;
}

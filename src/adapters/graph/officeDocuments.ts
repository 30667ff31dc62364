/**
 * File types SharePoint rewrites on upload (it writes its metadata into Office documents:
 * property promotion), so their stored size and quickXorHash differ from the local file's.
 */
const REWRITTEN = new Set([
  "doc",
  "docx",
  "docm",
  "dotx",
  "dotm",
  "xls",
  "xlsx",
  "xlsm",
  "xlsb",
  "xltx",
  "xltm",
  "ppt",
  "pptx",
  "pptm",
  "potx",
  "potm",
  "ppsx",
  "ppsm",
  "vsdx",
  "vsdm",
  "vssx",
  "vstx",
]);

/** Whether SharePoint may change this file's bytes on upload (decided by its extension). */
export function isRewrittenBySharePoint(fileName: string): boolean {
  const dot = fileName.lastIndexOf(".");
  return dot >= 0 && REWRITTEN.has(fileName.slice(dot + 1).toLowerCase());
}

/**
 * The file-level use cases, in one module the case panel loads on the first file action (with the
 * dialogs' chunk), so that its first load does not carry them.
 */
export { changeFileExpiry } from "./changeFileExpiry";
export { copyFileLink } from "./copyFileLink";
export { downloadFile } from "./downloadFile";
export { removeFile } from "./removeFile";

/**
 * Error codes of the host's sandbox (the folders the user granted), spread into `ErrorCode`. Kept in
 * their own block (-32020..-32029) so other namespaces can add codes without touching these.
 */
export const SandboxErrorCode = {
  /** No folder is granted yet; the message names the `npx ferry-host roots add <folder>` command. */
  NoRoots: -32020,
  /** The path itself is malformed: empty, NUL or control characters, overlong, `~`, Windows forms on POSIX. */
  PathInvalid: -32021,
  /** The path (lexically, or through a symlink) lies outside every granted folder. */
  PathOutsideRoots: -32022,
  /** Not a regular file: a directory, device, socket, FIFO or a dangling or looping symlink. */
  PathNotRegular: -32023,
  /** A write aimed at a folder granted read-only. */
  RootReadOnly: -32024,
  /** The file (or the data to write) is larger than the configured limit. */
  FileTooLarge: -32025,
  /** Nothing at that path (inside a granted folder). */
  PathNotFound: -32026,
  /** The file's content is not what `parseAs` says (bad JSON, an NDJSON line, undecodable CSV); `data.line` when known. */
  FileParseFailed: -32027,
  /** A `{{…}}` token in a path that is not one of the host's fixed set (`{{timestamp}}`, `{{date}}`, …). */
  PathTemplateInvalid: -32028,
} as const;

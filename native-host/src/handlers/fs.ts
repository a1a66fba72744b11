/**
 * `fs.*`: the folders the user granted (`ferry-host roots …`) and the file methods inside them. The
 * sandbox settings are reread on every call, so grants apply at once; every path goes through the
 * guard in ../fs (resolveInRoot and the open helpers), with Ferry's own folders protected.
 */
import { ErrorCode, RpcError, SandboxErrorCode, errorCodeName, isRpcError, type ParamsOf, type ResultOf } from '../../../src/protocol';
import { applyTransformations, parseCsv } from '../fs/csv';
import { decodeText, encodeContent, parseContent, readFormatOf, writeFormatOf, bufferEncoding } from '../fs/file-formats';
import { listDirectory } from '../fs/list-directory';
import { readInRoot } from '../fs/read-file';
import { resolveFolderInRoot } from '../fs/resolve-in-root';
import { writeInRoot, type WriteOutcome } from '../fs/write-file';
import type { MethodRegistry } from '../method-registry';
import { rootExists } from '../roots/roots-command';
import { readSandboxSettings, type SandboxSettings } from '../roots/sandbox-file';

export interface FsHandlerOptions {
  configDir: string;
  /** Ferry's own folders (config, launcher): never read, written or listed, even inside a root. */
  protectedDirs?: readonly string[];
}

/** Errors that errorHandling "useDefault" turns into the default value; the guard's refusals always fail. */
const DEFAULTABLE: readonly number[] = [SandboxErrorCode.PathNotFound, SandboxErrorCode.FileParseFailed];

export function registerFsMethods(registry: MethodRegistry, options: FsHandlerOptions): void {
  const protectedDirs = options.protectedDirs ?? [options.configDir];
  const scope = () => {
    const settings = loadSettings(options.configDir);
    return { roots: settings.roots, ...settings.limits, protectedDirs };
  };

  registry.registerCatalogue('fs.roots', () => {
    const settings = loadSettings(options.configDir);
    return { roots: settings.roots.map((r) => ({ ...r, exists: rootExists(r.path) })), limits: settings.limits };
  });

  registry.registerCatalogue('fs.read', async (params) => {
    const input = (params.filePath ?? params.path)!;
    const parseAs = params.parseAs ?? readFormatOf(input);
    try {
      const file = await readInRoot(input, scope());
      const parsed = parseContent(file.bytes, parseAs, input, params.encoding, params.options);
      return {
        path: file.path,
        data: parsed.data,
        parseAs,
        size: file.bytes.byteLength,
        modified: file.modified,
        usedDefault: false,
        ...(parsed.issues ? { issues: parsed.issues } : {}),
      };
    } catch (error) {
      if (params.errorHandling !== 'useDefault' || !isRpcError(error) || !DEFAULTABLE.includes(error.code)) throw error;
      return {
        path: input,
        data: params.default ?? null,
        parseAs,
        size: 0,
        usedDefault: true,
        error: { code: error.code, codeName: errorCodeName(error.code), message: error.message },
      };
    }
  });

  registry.registerCatalogue('fs.write', async (params) => {
    const input = (params.filePath ?? params.path)!;
    const format = params.format ?? writeFormatOf(input, params.content);
    if (params.append && format !== 'ndjson' && format !== 'csv') {
      throw invalidParams('params.append', `append works with ndjson and csv, not ${format}`);
    }
    return write(input, params, format, params.content, scope());
  });

  registry.registerCatalogue('fs.processCsv', async (params) => {
    const s = scope();
    const input = params.filePath ?? params.path;
    let text: string;
    let path: string | undefined;
    if (input !== undefined) {
      const file = await readInRoot(input, s);
      text = decodeText(file.bytes, params.encoding);
      path = file.path;
    } else {
      text = params.content!.charCodeAt(0) === 0xfeff ? params.content!.slice(1) : params.content!;
    }
    const parsed = parseCsv(text, params.options ?? {}, input ?? 'inline CSV');
    applyTransformations(parsed, params.transformations ?? []);
    let output: WriteOutcome | undefined;
    if (params.output) {
      const target = (params.output.filePath ?? params.output.path)!;
      const format = params.output.format ?? (readFormatOf(target) === 'text' ? 'csv' : writeFormatOf(target, parsed.records));
      const headers = params.output.options?.headers ?? parsed.columns ?? true;
      output = await write(target, { ...params.output, options: { ...params.output.options, headers } }, format, parsed.records, s);
    }
    return {
      ...(path ? { path } : {}),
      ...(parsed.columns ? { columns: parsed.columns } : {}),
      records: params.omitRecords ? [] : parsed.records,
      recordCount: parsed.records.length,
      skipped: parsed.skipped,
      issues: parsed.issues,
      ...(output ? { output } : {}),
    };
  });

  registry.registerCatalogue('fs.listDirectory', async (params, context) => {
    const s = scope();
    const input = params.path ?? params.filePath ?? '.';
    const folder = await resolveFolderInRoot(input, s.roots, { protectedDirs });
    const listing = await listDirectory(folder.path, { ...params, protectedDirs, signal: context.signal });
    return { path: folder.path, root: folder.root.name, ...listing };
  });
}

type WriteParams = Pick<ParamsOf<'fs.write'>, 'encoding' | 'append' | 'indent' | 'options' | 'createDirectories' | 'backup' | 'atomic'>;

async function write(
  input: string,
  params: WriteParams,
  format: NonNullable<ParamsOf<'fs.write'>['format']>,
  content: unknown,
  scope: Parameters<typeof writeInRoot>[1],
): Promise<ResultOf<'fs.write'>> {
  return writeInRoot(
    {
      input,
      createDirectories: params.createDirectories,
      backup: params.backup,
      atomic: params.atomic,
      append: params.append,
      encode: (existingSize) =>
        Buffer.from(
          encodeContent(content, format, {
            indent: params.indent,
            delimiter: params.options?.delimiter,
            headers: params.options?.headers,
            appendingToNonEmpty: params.append === true && existingSize > 0,
          }),
          bufferEncoding(params.encoding),
        ),
    },
    scope,
  );
}

function invalidParams(path: string, message: string): RpcError {
  return new RpcError(ErrorCode.InvalidParams, message, { issues: [{ path, message }] });
}

/** The sandbox settings; a corrupt file is reported to the caller as it is, with its path. */
export function loadSettings(configDir: string): SandboxSettings {
  try {
    return readSandboxSettings(configDir);
  } catch (error) {
    throw new RpcError(ErrorCode.InternalError, `Cannot read the host's granted folders: ${(error as Error).message}`);
  }
}

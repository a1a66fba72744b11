import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError, errorCodeName, isRpcError, isRpcErrorObject, isTransportErrorCode } from './errors';

describe('error codes', () => {
  it('are unique', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('keep wire codes out of the transport range', () => {
    const wire = ['RequestCancelled', 'FrameTooLarge', 'ChunkAssemblyFailed', 'InvalidResult', 'OriginNotAllowed'] as const;
    for (const name of wire) {
      expect(ErrorCode[name]).toBeLessThanOrEqual(-32000);
      expect(ErrorCode[name]).toBeGreaterThan(-32080);
      expect(isTransportErrorCode(ErrorCode[name])).toBe(false);
    }
    for (const name of ['HostDisconnected', 'CallTimeout', 'HostNotInstalled', 'ConnectionDisposed', 'SendFailed'] as const) {
      expect(isTransportErrorCode(ErrorCode[name])).toBe(true);
    }
    expect(isTransportErrorCode(-32079)).toBe(false);
    expect(isTransportErrorCode(-32100)).toBe(false);
  });

  it('have names', () => {
    expect(errorCodeName(-32601)).toBe('MethodNotFound');
    expect(errorCodeName(-32005)).toBe('OriginNotAllowed');
    expect(errorCodeName(-32050)).toBe('ServerError');
    expect(errorCodeName(42)).toBe('ApplicationError');
  });
});

describe('RpcError', () => {
  const error = new RpcError(ErrorCode.InvalidParams, 'Invalid params', { issues: [{ path: 'params.x' }] });

  it('is an Error with a code, a data member and a code name', () => {
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RpcError');
    expect(error.codeName).toBe('InvalidParams');
    expect(error.toJSON()).toEqual({ code: -32602, message: 'Invalid params', data: { issues: [{ path: 'params.x' }] } });
    expect('data' in new RpcError(1, 'm').toJSON()).toBe(false);
  });

  it('is recognized by its brand, not its prototype: across realms and duplicate module copies', () => {
    expect(isRpcError(error)).toBe(true);
    // What another copy of this module (another bundle, another realm) creates.
    const foreign: unknown = runInNewContext('({ [Symbol.for("ferry.RpcError")]: true, code: -32001, message: "m" })');
    expect(foreign instanceof RpcError).toBe(false);
    expect(isRpcError(foreign)).toBe(true);
    // A spread copy keeps own enumerable symbols, and with them the brand.
    expect(isRpcError({ ...error })).toBe(true);
    expect(isRpcError(new Error('plain'))).toBe(false);
    expect(isRpcError({ code: 1, message: 'm' })).toBe(false);
    expect(isRpcError(null)).toBe(false);
  });

  it('crosses a JSON or structured-clone boundary as an RpcErrorObject and comes back whole', () => {
    const overJson: unknown = JSON.parse(JSON.stringify(error));
    expect(isRpcErrorObject(overJson)).toBe(true);
    const cloned: unknown = structuredClone(error.toJSON());
    expect(isRpcErrorObject(cloned)).toBe(true);
    const revived = RpcError.fromObject(cloned as { code: number; message: string; data?: unknown });
    expect(isRpcError(revived)).toBe(true);
    expect(revived.code).toBe(error.code);
    expect(revived.message).toBe(error.message);
    expect(revived.data).toEqual(error.data);
    // Cloning the Error itself keeps only name and message: the reason to send toJSON().
    expect(isRpcErrorObject(structuredClone(error))).toBe(false);
  });

  it('isRpcErrorObject checks the shape strictly', () => {
    expect(isRpcErrorObject({ code: -32600, message: 'x' })).toBe(true);
    expect(isRpcErrorObject({ code: -32600.5, message: 'x' })).toBe(false);
    expect(isRpcErrorObject({ code: '-32600', message: 'x' })).toBe(false);
    expect(isRpcErrorObject({ code: -32600 })).toBe(false);
    expect(isRpcErrorObject('error')).toBe(false);
  });
});

describe('db error codes', () => {
  it('sit in their own block of the wire range and have names', async () => {
    const { DbErrorCode } = await import('./db-errors');
    for (const [name, code] of Object.entries(DbErrorCode)) {
      expect(code).toBeLessThanOrEqual(-32040);
      expect(code).toBeGreaterThanOrEqual(-32049);
      expect(errorCodeName(code)).toBe(name);
      expect(ErrorCode[name as keyof typeof ErrorCode]).toBe(code);
    }
  });
});

export * from './identity';
export * from './errors';
export * from './jsonrpc';
export * from './notifications';
export * from './framing';
export * from './chunking';
export * from './catalogue';
export * from './zod-issues';

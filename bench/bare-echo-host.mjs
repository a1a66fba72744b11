#!/usr/bin/env node
/**
 * The baseline for `npm run bench:rpc`: a native-messaging host that does framing and nothing else.
 * It reads 4-byte native-endian length-prefixed frames from stdin and writes each complete frame back
 * to stdout byte for byte — no JSON parsing, no JSON-RPC, no validation, no logging. Whatever Ferry
 * costs beyond this is the price of its protocol layer.
 */
import os from 'node:os';

const littleEndian = os.endianness() === 'LE';
/** Received bytes not yet echoed (the start of an unfinished frame), kept as a list to avoid re-copying. */
let parts = [];
let buffered = 0;
/** Bytes needed before the next frame is complete (header + body), once its header is known. */
let needed = 4;

process.stdin.on('data', (chunk) => {
  parts.push(chunk);
  buffered += chunk.length;
  if (buffered < needed) return;
  const data = parts.length === 1 ? parts[0] : Buffer.concat(parts, buffered);
  let offset = 0;
  needed = 4;
  while (data.length - offset >= 4) {
    const length = littleEndian ? data.readUInt32LE(offset) : data.readUInt32BE(offset);
    if (data.length - offset < 4 + length) {
      needed = 4 + length;
      break;
    }
    offset += 4 + length;
  }
  // Every complete frame of this read goes back in one write, exactly as received.
  if (offset > 0) process.stdout.write(offset === data.length ? data : data.subarray(0, offset));
  // Copy the unfinished tail: stdin may reuse a chunk's memory.
  parts = offset === data.length ? [] : [Buffer.from(data.subarray(offset))];
  buffered = data.length - offset;
});
// The browser closed the port: let queued writes drain, then exit on our own.
process.stdin.on('end', () => process.stdout.end());
process.stdout.on('error', () => process.exit(0));

import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach } from 'vitest';
import { FerryDB, openFerryDb } from './db';
import { SCHEMA, type SchemaVersion } from './schema';

const opened: FerryDB[] = [];
let counter = 0;

/** A unique database name per test, so tests never share state through fake-indexeddb. */
export function uniqueDbName(): string {
  counter += 1;
  return `ferry-test-${counter}-${crypto.randomUUID()}`;
}

/** Opens a fresh database (or another connection to `name`) that is closed and deleted after the test. */
export async function testDb(name: string = uniqueDbName(), versions: readonly SchemaVersion[] = SCHEMA): Promise<FerryDB> {
  const db = await openFerryDb(name, versions);
  opened.push(db);
  return db;
}

/** A settable clock for repositories that take `now`. */
export function testClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void; set: (at: number) => void } {
  let at = start;
  return { now: () => at, advance: (ms) => { at += ms; }, set: (value) => { at = value; } };
}

afterEach(async () => {
  const names = new Set(opened.map((db) => db.name));
  for (const db of opened.splice(0)) db.close();
  for (const name of names) await Dexie.delete(name);
});

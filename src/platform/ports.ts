// Ports: the only way the app reaches the runtime. Adapters live beside this file
// (node/ for Node, Deno and Bun; worker/ for Cloudflare Workers).
import type { Client } from '@libsql/client';

export type RuntimeName = 'node' | 'deno' | 'bun' | 'workers';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Files of the data folder, addressed by paths relative to it ("clinics/x.db"). */
export interface DataDir {
  /** Absolute location, for messages and for opening databases. */
  resolve(rel: string): string;
  exists(rel: string): Promise<boolean>;
  read(rel: string): Promise<Uint8Array | undefined>;
  /** Writes a new file; refuses to overwrite an existing one. */
  create(rel: string, bytes: Uint8Array, mode?: number): Promise<void>;
  mkdirs(rel: string): Promise<void>;
  list(rel: string): Promise<string[]>;
  /** Permission bits of a file (POSIX), or undefined where the platform has none. */
  mode(rel: string): Promise<number | undefined>;
}

/** Files shipped with the program: static/, migrations/, fonts. */
export interface Assets {
  read(rel: string): Promise<Uint8Array | undefined>;
}

export interface DatabaseOpener {
  /** Opens (creating if missing) an encrypted libSQL database file. */
  open(file: string, encryptionKey: string): Promise<Client>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(phc: string, password: string): Promise<boolean>;
  /** True when a stored hash was made with weaker settings than today's (AU4: rehash at sign-in). */
  needsRehash(phc: string): boolean;
}

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** What every runtime's server passes along with a request (the peer address, for throttling and audit). */
export interface RequestEnv {
  remoteAddr?: string;
}

export type FetchHandler = (req: Request, env?: RequestEnv) => Response | Promise<Response>;

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

export interface Platform {
  runtime: RuntimeName;
  env: Record<string, string | undefined>;
  clock: Clock;
  dataDir: DataDir;
  assets: Assets;
  db: DatabaseOpener;
  hasher: PasswordHasher;
  log: Logger;
  serve(fetch: FetchHandler, opts: { port: number; host: string }): Promise<HttpServer>;
  /** Encrypted attachments and stored files, per clinic (src/platform/blob-store.ts). */
  blobs: import('./blob-store.ts').BlobStore;
  /** Files named on the command line, outside the data folder (archives to verify or write). */
  files: import('./local-files.ts').LocalFiles;
}

/** What a CLI run talks to. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
}

/** Raised where a runtime cannot offer a capability (e.g. local files on Workers). */
export class NotAvailableError extends Error {
  constructor(what: string, runtime: RuntimeName) {
    super(`${what} is not available on ${runtime}`);
    this.name = 'NotAvailableError';
  }
}

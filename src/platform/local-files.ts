// Files an operator names on the command line (`invent archive verify FILE.zip`, `--out FILE.zip`),
// relative to the working folder, unlike the DataDir port, which never leaves the data folder.

export interface LocalFiles {
  /** The whole file. Throws LocalFileError when it cannot be read. */
  read(path: string): Promise<Uint8Array>;
  /** The file as a stream, for files too large to hold. */
  readStream(path: string): Promise<ReadableStream<Uint8Array>>;
  /**
   * Writes a new file from a stream: to a temporary name beside it, then linked into place, so a
   * half-written file is never seen under the final name. Refuses to replace an existing file.
   */
  write(path: string, data: ReadableStream<Uint8Array>, opts?: { mode?: number }): Promise<void>;
}

/** A file could not be read or written; the message names it and says why, without a stack. */
export class LocalFileError extends Error {
  override name = 'LocalFileError';
}

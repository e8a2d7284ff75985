// A decrypted attachment on its way out. Decryption (crypto/file.ts) already refuses any damaged
// chunk; this also checks that exactly the recorded number of bytes came out, and can read the
// first piece before anything is answered, so that a damaged file gets an error page rather than a
// download that breaks off after its headers were sent.

export class ContentError extends Error {
  override name = 'ContentError';
}

export async function verifiedStream(source: ReadableStream<Uint8Array>, expected: number, opts: { eager?: boolean } = {}): Promise<ReadableStream<Uint8Array>> {
  const reader = source.getReader();
  let seen = 0;
  let first: ReadableStreamReadResult<Uint8Array> | undefined;
  if (opts.eager !== false) {
    try {
      first = await reader.read();
    } catch (err) {
      reader.releaseLock();
      throw err;
    }
  }
  const next = async () => {
    const r = first ?? (await reader.read());
    first = undefined;
    return r;
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await next();
          if (done) {
            if (seen !== expected) throw new ContentError(`the file holds ${seen} bytes, ${expected} were recorded`);
            controller.close();
            return;
          }
          seen += value.length;
          if (seen > expected) throw new ContentError(`the file holds more than the ${expected} bytes recorded`);
          controller.enqueue(value);
        } catch (err) {
          await reader.cancel().catch(() => undefined);
          controller.error(err);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

// The slice of the Workers runtime API this project uses. Declared here rather than pulling in
// @cloudflare/workers-types, whose globals clash with the DOM and Node types the rest of the code uses.

import type { ExecutionContext } from 'hono';

/** Hono's declaration of the Workers ExecutionContext (waitUntil, passThroughOnException, props). */
export type WorkerExecutionContext = ExecutionContext;

export interface QueueProducer<Body = unknown> {
  send(body: Body, options?: { contentType?: 'json' | 'text' | 'bytes' | 'v8'; delaySeconds?: number }): Promise<void>;
}

export interface QueueMessage<Body = unknown> {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: Body;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface QueueBatch<Body = unknown> {
  readonly queue: string;
  readonly messages: readonly QueueMessage<Body>[];
  ackAll(): void;
  retryAll(options?: { delaySeconds?: number }): void;
}

/** Bindings declared in wrangler.toml. */
export interface WorkerEnv {
  /** Producer for the job queue "invent-jobs" (archive, export, backup, retention jobs). */
  JOBS: QueueProducer;
}

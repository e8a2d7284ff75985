// One libSQL connection per database, used by one caller at a time.
//
// @libsql/client pools connections and opens new ones bare: per-connection settings
// (foreign_keys, synchronous) set once would silently not apply to them. Native libSQL calls run
// synchronously on this thread anyway, so a single connection costs no parallelism; callers queue
// here instead, and a transaction holds the queue until it commits or rolls back. Writers in other
// processes are kept apart by SQLite's own locks (BEGIN IMMEDIATE, busy timeout).
import type { Client, InStatement, InArgs, ResultSet, Transaction, TransactionMode, Replicated } from '@libsql/client';

class Queue {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for every earlier holder, then returns the function that lets the next one in. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prior = this.tail;
    this.tail = prior.then(() => next);
    return prior.then(() => {
      let done = false;
      return () => {
        if (!done) {
          done = true;
          release();
        }
      };
    });
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

function wrapTransaction(tx: Transaction, release: () => void): Transaction {
  return {
    execute: (stmt: InStatement) => tx.execute(stmt),
    batch: (stmts: InStatement[]) => tx.batch(stmts),
    executeMultiple: (sql: string) => tx.executeMultiple(sql),
    async commit() {
      try {
        await tx.commit();
      } finally {
        release();
      }
    },
    async rollback() {
      try {
        await tx.rollback();
      } finally {
        release();
      }
    },
    close() {
      try {
        tx.close();
      } finally {
        release();
      }
    },
    get closed() {
      return tx.closed;
    },
  } as Transaction;
}

export function serialClient(inner: Client): Client {
  const queue = new Queue();
  const client = {
    execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
      return queue.run(() => (typeof stmtOrSql === 'string' && args !== undefined ? inner.execute(stmtOrSql, args) : inner.execute(stmtOrSql as InStatement)));
    },
    batch(stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode): Promise<ResultSet[]> {
      return queue.run(() => inner.batch(stmts, mode));
    },
    migrate(stmts: InStatement[]): Promise<ResultSet[]> {
      return queue.run(() => inner.migrate(stmts));
    },
    async transaction(mode?: TransactionMode): Promise<Transaction> {
      const release = await queue.acquire();
      try {
        return wrapTransaction(await inner.transaction(mode), release);
      } catch (e) {
        release();
        throw e;
      }
    },
    executeMultiple(sql: string): Promise<void> {
      return queue.run(() => inner.executeMultiple(sql));
    },
    sync(): Promise<Replicated> {
      return queue.run(() => inner.sync());
    },
    close() {
      inner.close();
    },
    reconnect() {
      return inner.reconnect();
    },
    get closed() {
      return inner.closed;
    },
    get protocol() {
      return inner.protocol;
    },
  };
  return client as Client;
}

import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2's `Algorithm` is a const enum; 2 is Argon2id.
const ARGON2ID = 2;
import type { PasswordHasher } from '../ports.ts';

/** OWASP's Argon2id floor (m=19 MiB, t=2, p=1). Raising these makes sign-in rehash (AU4). */
export const ARGON2_PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password, { algorithm: ARGON2ID, ...ARGON2_PARAMS }),
  needsRehash(phc) {
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
    if (!m) return true;
    return Number(m[1]) < ARGON2_PARAMS.memoryCost || Number(m[2]) < ARGON2_PARAMS.timeCost || Number(m[3]) !== ARGON2_PARAMS.parallelism;
  },
  async verify(phc, password) {
    try {
      return await verify(phc, password);
    } catch {
      return false;
    }
  },
};

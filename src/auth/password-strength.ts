// AU3: refuse common and context passwords offline (zxcvbn-ts with its common and English
// dictionaries, plus the clinic's and the person's own names).
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { checkPasswordLength, type PasswordProblem } from './password-policy.ts';

let factory: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return factory;
}

/** zxcvbn score 0-4; 3 ("safely unguessable") is the floor. */
export const MIN_SCORE = 3;

export type StrengthProblem = PasswordProblem | 'weak' | 'contains-context';

export function checkPassword(password: string, opts: { minLength: number; context: string[] }): StrengthProblem | undefined {
  const length = checkPasswordLength(password, opts.minLength);
  if (length) return length;
  const words = contextWords(opts.context);
  // What is left once the person's and clinic's names are taken out must stand on its own.
  let rest = password.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  for (const w of [...words].sort((a, b) => b.length - a.length)) rest = rest.split(w).join('');
  if (rest.length < 8) return 'contains-context';
  const result = zxcvbn().check(password, words);
  return result.score < MIN_SCORE ? 'weak' : undefined;
}

/** Words of the context strings (4+ letters), and each string with its separators removed. */
function contextWords(context: string[]): string[] {
  const out = new Set<string>();
  for (const c of context) {
    const lower = c.toLowerCase();
    for (const w of lower.split(/[^\p{L}\p{N}]+/u)) if (w.length >= 4) out.add(w);
    for (const part of lower.split('@')) {
      const joined = part.replace(/[^\p{L}\p{N}]+/gu, '');
      if (joined.length >= 4) out.add(joined);
    }
  }
  return [...out];
}

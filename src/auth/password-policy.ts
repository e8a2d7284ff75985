// AU1/AU2: length only (12+ by default, at most 128), any Unicode, no composition rules.
// The strength check against common and context words arrives with the identity issue (AU3).
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordProblem = 'tooShort' | 'tooLong';

/** Counts code points, not UTF-16 units, so that every script is measured alike. */
export function passwordLength(password: string): number {
  return [...password].length;
}

export function checkPasswordLength(password: string, minLength = 12): PasswordProblem | undefined {
  const n = passwordLength(password);
  if (n < minLength) return 'tooShort';
  if (n > MAX_PASSWORD_LENGTH) return 'tooLong';
  return undefined;
}

// The allergy check: a medicine matches an allergy when one's words appear, in order and whole, in
// the other's (case-insensitive), so "Penicillin V" matches "penicillin" but "Amoxicillin" does not
// match "cillin". Deliberately simple: it catches the recorded name, not drug classes.
export interface AllergyMatch {
  medicine: string;
  substance: string;
}

const words = (s: string): string[] => s.normalize('NFKC').toLocaleLowerCase('en').match(/[\p{L}\p{N}]+/gu) ?? [];

function containsRun(hay: string[], needle: string[]): boolean {
  if (needle.length === 0 || needle.length > hay.length) return false;
  for (let i = 0; i + needle.length <= hay.length; i++) if (needle.every((w, j) => hay[i + j] === w)) return true;
  return false;
}

export function allergyMatches(medicines: string[], substances: string[]): AllergyMatch[] {
  const out: AllergyMatch[] = [];
  for (const medicine of medicines) {
    const m = words(medicine);
    for (const substance of substances) {
      const s = words(substance);
      if (containsRun(m, s) || containsRun(s, m)) out.push({ medicine, substance });
    }
  }
  return out;
}

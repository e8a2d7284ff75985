// Messages of the archive feature, kept beside the core catalogue (en.ts spreads them in).
export const archiveEn = {
} as const;

export const archiveAr: Record<keyof typeof archiveEn, string> = {
};

// Messages of the documents feature, kept beside the core catalogue (en.ts spreads them in).
export const documentsEn = {
} as const;

export const documentsAr: Record<keyof typeof documentsEn, string> = {
};

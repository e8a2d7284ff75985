// Messages of the consents feature, kept beside the core catalogue (en.ts spreads them in).
export const consentsEn = {
} as const;

export const consentsAr: Record<keyof typeof consentsEn, string> = {
};

// Messages of the dental feature, kept beside the core catalogue (en.ts spreads them in).
export const dentalEn = {
} as const;

export const dentalAr: Record<keyof typeof dentalEn, string> = {
};

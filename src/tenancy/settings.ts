// Clinic settings, stored as JSON on the clinic's row in the control database.
import { z } from 'zod';
import { ROLES } from '../access/roles.ts';

export const twoFactorPolicy = z.enum(['optional', 'required']);

export const clinicSettingsSchema = z
  .object({
    /** 2FA policy per role. */
    twoFactor: z.partialRecord(z.enum(ROLES), twoFactorPolicy).default({ admin: 'required' }),
    idleTimeoutMinutes: z.number().int().min(1).max(240).default(15),
    absoluteTimeoutHours: z.number().int().min(1).max(24).default(12),
    minPasswordLength: z.number().int().min(12).max(128).default(12),
    defaultLanguage: z.enum(['en', 'ar']).default('en'),
    hostingRegion: z.string().max(100).default('Bahrain'),
    /** Largest attachment accepted, in MB of 1,048,576 bytes (FU2). */
    uploadLimitMb: z.number().int().min(1).max(1024).default(50),
    /** More patients than this archived within an hour raises a security event (export monitoring). */
    archiveAlertPerHour: z.number().int().min(1).max(1000).default(10),
  })
  .strict();

export type ClinicSettings = z.infer<typeof clinicSettingsSchema>;

export function parseSettings(json: string): ClinicSettings {
  return clinicSettingsSchema.parse(JSON.parse(json || '{}'));
}

export const defaultSettings = (): ClinicSettings => clinicSettingsSchema.parse({});

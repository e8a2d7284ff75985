// The one permission table (roles x permissions): guards, navigation and the read-only matrix page
// all read it. A membership's roles add up.
import type { Role } from './roles.ts';

export const PERMISSIONS = [
  'home:view',
  'account:self',
  'staff:manage',
  'settings:manage',
  'audit:read',
  'security:read',
  'patient:read',
  'patient:write',
  'clinical:read',
  'clinical:write',
  'clinical:sign',
  'vitals:write',
  'allergy:write',
  'rx:read',
  'rx:write',
  'rx:sign',
  'document:index',
  'document:read',
  'document:write',
  'document:upload',
  'document:upload-admin',
  'consent:collect',
  'form:manage',
  'dental:read',
  'dental:write',
  'dental:draft',
  'billing:read',
  'billing:invoice',
  'billing:manage',
  'export:archive',
  'export:billing',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const everyone: Permission[] = ['home:view', 'account:self'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [
    ...everyone,
    'staff:manage',
    'settings:manage',
    'audit:read',
    'security:read',
    'patient:read',
    'document:index',
    'form:manage',
    'billing:read',
    'export:archive',
  ],
  doctor: [
    ...everyone,
    'patient:read',
    'patient:write',
    'clinical:read',
    'clinical:write',
    'clinical:sign',
    'vitals:write',
    'allergy:write',
    'rx:read',
    'rx:write',
    'rx:sign',
    'document:index',
    'document:read',
    'document:write',
    'document:upload',
    'consent:collect',
    'dental:read',
    'dental:write',
    'billing:read',
  ],
  nurse: [
    ...everyone,
    'patient:read',
    'clinical:read',
    'vitals:write',
    'allergy:write',
    'rx:read',
    'document:index',
    'document:read',
    'document:write',
    'document:upload',
    'consent:collect',
    'dental:read',
  ],
  receptionist: [
    ...everyone,
    'patient:read',
    'patient:write',
    'document:upload-admin',
    'consent:collect',
    'billing:invoice',
  ],
  accountant: [...everyone, 'patient:read', 'billing:read', 'billing:invoice', 'billing:manage', 'export:billing'],
  assistant: [
    ...everyone,
    'patient:read',
    'clinical:read',
    'vitals:write',
    'rx:read',
    'document:upload',
    'dental:read',
    'dental:draft',
  ],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r]));
}

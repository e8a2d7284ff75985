// Who may do what with attachments, by category (AC4). The permission table (access/permissions.ts)
// names the abilities; this turns them into categories:
// - document:index lists every category (metadata only: title, category, date, type, size);
// - document:read opens any attachment (view, preview, download);
// - document:upload uploads any category; document:write deletes;
// - document:upload-admin (reception) uploads only ID/insurance and referral papers, and lists and
//   opens only ID/insurance ones: a referral letter is clinical, so once handed in it is out of reach.
import type { Permission } from '../../access/permissions.ts';

export const CATEGORIES = ['imaging', 'lab', 'referral', 'id-insurance', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

const ADMIN_UPLOAD: readonly Category[] = ['id-insurance', 'referral'];
const ADMIN_OPEN: readonly Category[] = ['id-insurance'];

export interface DocumentAccess {
  list: readonly Category[];
  open: readonly Category[];
  upload: readonly Category[];
  remove: boolean;
}

export function documentAccess(perms: ReadonlySet<Permission>): DocumentAccess {
  const admin = perms.has('document:upload-admin');
  return {
    list: perms.has('document:index') ? CATEGORIES : admin ? ADMIN_OPEN : [],
    open: perms.has('document:read') ? CATEGORIES : admin ? ADMIN_OPEN : [],
    upload: perms.has('document:upload') ? CATEGORIES : admin ? ADMIN_UPLOAD : [],
    remove: perms.has('document:write'),
  };
}

export const isCategory = (v: string): v is Category => (CATEGORIES as readonly string[]).includes(v);

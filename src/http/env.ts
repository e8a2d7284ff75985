import type { Lang, Translate } from '../i18n/index.ts';
import type { Permission } from '../access/permissions.ts';
import type { Role } from '../access/roles.ts';
import type { SessionRecord } from '../auth/sessions.ts';
import type { UserRow } from '../auth/service.ts';

export interface StaticUrls {
  css: string;
  htmx: string;
  app: string;
  /** The signature pad of consent forms (static/js/signature.js), loaded by that page only. */
  signature: string;
}

/** A signed-in person in the clinic of their session (state `active`). */
export interface Viewer {
  userId: string;
  name: string;
  email: string;
  clinicId: string;
  clinicName: string;
  roles: Role[];
  permissions: Set<Permission>;
  sessionId: string;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    lang: Lang;
    t: Translate;
    /** True when cookies must be Secure and `__Host-` prefixed. */
    secure: boolean;
    /** The session of this request, in whatever state it is. */
    session?: { record: SessionRecord; user: UserRow };
    viewer?: Viewer;
    /** Why a session cookie came with no session: for a kind message on the sign-in page. */
    sessionEnded?: 'idle' | 'absolute' | 'gone';
    /** The CSRF token of this session (or of this anonymous visitor). */
    csrf?: string;
    guard: import('../access/guard.ts').GuardHooks;
    /** Unreviewed security events, for administrators' header. */
    securityUnread?: number;
    /** Set when the route's service wrote this request's audit events itself. */
    audited?: boolean;
    /** What the request was about, for the request-level audit event (a patient read, say). */
    auditEntity?: { type: string; id?: string | null; patientId?: string | null };
  };
}

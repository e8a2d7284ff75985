import type { Lang, Translate } from '../i18n/index.ts';
import type { Permission } from '../access/permissions.ts';
import type { Role } from '../access/roles.ts';

export interface StaticUrls {
  css: string;
  htmx: string;
  app: string;
}

/** Who is asking, once sign-in exists (identity issue). */
export interface Viewer {
  userId: string;
  name: string;
  email: string;
  clinicId: string;
  clinicName: string;
  roles: Role[];
  permissions: Set<Permission>;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    lang: Lang;
    t: Translate;
    viewer?: Viewer;
  };
}

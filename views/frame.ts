import type { Lang, Translate } from '../src/i18n/index.ts';
import type { StaticUrls, Viewer } from '../src/http/env.ts';
import type { MessageKey } from '../src/i18n/index.ts';

export interface NavItem {
  href: string;
  label: MessageKey;
}

/** Everything the layout needs to know about the request; built once per page by src/http/render.tsx. */
export interface Frame {
  lang: Lang;
  dir: 'ltr' | 'rtl';
  t: Translate;
  urls: StaticUrls;
  path: string;
  viewer?: Viewer;
  nav: NavItem[];
  /** The product or clinic name shown in the header. */
  brand: string;
  /** CSRF token for forms (hidden field) and htmx (header). */
  csrf?: string;
  /** Whether the person has a session in any state (a pending one can still sign out). */
  hasSession: boolean;
  /** Unreviewed security events (administrators only). */
  securityUnread?: number;
}

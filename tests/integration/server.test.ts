// Through a real HTTP server: the peer address reaches the app (throttling per IP, audit "where").
import { describe, expect, it } from 'vitest';
import { serveTestInstall } from '../helpers/browser.ts';

describe('node server', () => {
  it('AU5: passes the peer address, so failures are counted per IP', async () => {
    const served = await serveTestInstall();
    try {
      const page = await fetch(`${served.baseURL}/sign-in`);
      const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!;
      const csrf = (await page.text()).match(/name="csrf-token" content="([^"]+)"/)![1]!;
      const res = await fetch(`${served.baseURL}/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
        body: new URLSearchParams({ email: 'nurse@demo.test', password: 'wrong password entirely', _csrf: csrf }).toString(),
      });
      expect(res.status).toBe(401);
      const rows = await served.install.system.controlClient.execute("SELECT key, failures FROM throttles WHERE key LIKE 'ip:%'");
      expect(rows.rows.map((r) => r.key)).toEqual(['ip:127.0.0.1']);
    } finally {
      await served.close();
    }
  });
});

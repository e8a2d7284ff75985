// The public archive check page: each clinic's published key, and a manifest uploaded (or pasted)
// checked against it, with no session; tampered or foreign-key manifests are not valid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { MANIFEST_PATH } from '../../src/archive/manifest.ts';
import { deriveClinicKeys, type SigningKeys } from '../../src/crypto/keys.ts';
import { testInstall, type TestInstall } from '../helpers/system.ts';
import { Client, ORIGIN } from '../helpers/http.ts';
import { buildArchive } from '../helpers/archive.ts';

describe('the public check page', () => {
  let t: TestInstall;
  let clinicKey: SigningKeys;
  let manifestText: string;

  beforeAll(async () => {
    t = await testInstall();
    const row = await t.system.clinics.create({ slug: 'north', name: 'North Clinic' });
    clinicKey = await (await t.system.clinics.get(row.id)).keys.signing();
    const zip = await JSZip.loadAsync(await buildArchive(clinicKey, 'north'));
    manifestText = await zip.file(MANIFEST_PATH)!.async('string');
  });
  afterAll(() => t?.close());

  async function upload(client: Client, fields: { manifest?: string; clinic?: string }, csrf = client.csrf) {
    const form = new FormData();
    form.set('manifest', new File(fields.manifest === undefined ? [] : [fields.manifest], 'manifest.json', { type: 'application/json' }));
    form.set('manifestText', '');
    if (fields.clinic !== undefined) form.set('clinic', fields.clinic);
    return client.request(`/archive/verify${csrf ? `?_csrf=${encodeURIComponent(csrf)}` : ''}`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin' },
      body: form,
    });
  }

  it('publishes each clinic key; anyone can check a good manifest without signing in', async () => {
    const client = new Client(t.app);
    const key = await client.get('/clinics/north/archive-key');
    expect(key.status).toBe(200);
    expect(await key.json()).toEqual({ format: 'invent-clinic-archive-key', version: 1, clinic: { slug: 'north', name: 'North Clinic' }, algorithm: 'Ed25519', publicKey: clinicKey.publicKeyB64 });
    expect((await client.get('/clinics/nowhere/archive-key')).status).toBe(404);

    const page = await client.get('/archive/verify');
    expect(page.status).toBe(200);
    expect(client.lastHtml).toContain('enctype="multipart/form-data"');
    const res = await upload(client, { manifest: manifestText });
    expect(res.status).toBe(200);
    expect(client.lastHtml).toContain('data-verdict="valid"');
    expect(client.lastHtml).toContain('North Clinic');
    expect(client.lastHtml).toContain('D-0001');

    // Pasted instead of uploaded, naming the clinic.
    const pasted = await client.post('/archive/verify', { manifestText, clinic: 'north' });
    expect(pasted.status).toBe(200);
    expect(client.lastHtml).toContain('data-verdict="valid"');
  });

  it('a tampered manifest, or one signed by another key, is not valid; Arabic too', async () => {
    const client = new Client(t.app);
    client.cookies.set('lang', 'ar');
    await client.get('/archive/verify');
    const m = JSON.parse(manifestText);
    m.files[1].sha256 = '0'.repeat(64);
    const res = await upload(client, { manifest: JSON.stringify(m) });
    expect(res.status).toBe(200);
    expect(client.lastHtml).toContain('data-verdict="invalid"');
    expect(client.lastHtml).toContain('data-problem="signature"');
    expect(client.lastHtml).toContain('dir="rtl"');
    expect(client.lastHtml).toContain('غير صالح');

    const other = await (await deriveClinicKeys('c_y', new Uint8Array(32).fill(4))).signing();
    const forged = await JSZip.loadAsync(await buildArchive(other, 'north'));
    await upload(client, { manifest: await forged.file(MANIFEST_PATH)!.async('string') });
    expect(client.lastHtml).toContain('data-problem="key"');
    expect(client.lastHtml).not.toContain('data-problem="signature"');
  });

  it('bad input re-renders the form with 4xx and nothing else: no manifest, unknown clinic, not JSON, no CSRF token', async () => {
    const client = new Client(t.app);
    await client.get('/archive/verify');
    expect((await upload(client, {})).status).toBe(422);
    expect(client.lastHtml).toContain('Choose the manifest.json file');
    expect((await upload(client, { manifest: manifestText, clinic: 'nowhere' })).status).toBe(422);
    expect(client.lastHtml).toContain('no clinic with this short name');
    const notJson = await upload(client, { manifest: 'hello' });
    expect(notJson.status).toBe(200);
    expect(client.lastHtml).toContain('data-problem="format"');
    expect((await client.post('/archive/verify', { manifestText, sneaky: '1' })).status).toBe(400);
    expect((await upload(client, { manifest: manifestText }, '')).status).toBe(403);
    // Larger than any manifest: refused while it streams in (FU2 style), with the form again.
    expect((await upload(client, { manifest: ' '.repeat(2 * 1024 * 1024 + 100 * 1024) })).status).toBe(413);
    expect(client.lastHtml).toContain('at most 2 MB');
  });
});

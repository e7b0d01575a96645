/**
 * The local certificates: the CA is made once; the leaf for localhost stays as it is, and a team
 * demo's leaf (lan.pem) names the LAN host too and is issued again when that name changes.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLocalTls, LOCAL_TLS_NAMES, localTlsNames } from '../../src/sandbox/index.ts';

let dir: string;
beforeAll(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'tls-names-')), 'tls');
});
afterAll(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const names = (pem: string) => new X509Certificate(pem).subjectAltName;

describe('the local certificates', () => {
  it('lists the LAN host after the local names, lower-cased and once', () => {
    expect(localTlsNames()).toEqual([...LOCAL_TLS_NAMES]);
    expect(localTlsNames(['Explorer-LAN.test', 'localhost', 'explorer-lan.test'])).toEqual([
      'localhost',
      '127.0.0.1',
      '::1',
      'explorer-lan.test',
    ]);
  });

  it('covers localhost, 127.0.0.1 and ::1 only, and reuses the certificate', async () => {
    const first = await ensureLocalTls(dir);
    expect(names(first.cert)).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect((await ensureLocalTls(dir)).cert).toBe(first.cert);
  });

  it('adds the LAN host in a certificate of its own, issued again when the name changes, signed by the same CA', async () => {
    const local = await readFile(join(dir, 'localhost.pem'), 'utf8');
    const lan = await ensureLocalTls(dir, ['explorer-lan.test']);
    expect(names(lan.cert)).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:explorer-lan.test',
    );
    expect(await readFile(join(dir, 'lan.pem'), 'utf8')).toBe(lan.cert);
    expect(new X509Certificate(lan.cert).checkIssued(new X509Certificate(lan.ca))).toBe(true);
    expect((await ensureLocalTls(dir, ['explorer-lan.test'])).cert).toBe(lan.cert);

    const renamed = await ensureLocalTls(dir, ['192.168.1.20']);
    expect(names(renamed.cert)).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:192.168.1.20',
    );
    expect(renamed.ca).toBe(lan.ca);
    // The localhost certificate that other servers use is untouched.
    expect(await readFile(join(dir, 'localhost.pem'), 'utf8')).toBe(local);
    expect((await ensureLocalTls(dir)).cert).toBe(local);
  });
});

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createCA, createCert } from 'mkcert';

/** A PEM key and certificate pair, as Node's `https.createServer` takes them. */
export interface TlsPair {
  key: string;
  cert: string;
}

/** The local certificate authority and the localhost certificate it signed. */
export interface LocalTls extends TlsPair {
  /** The CA certificate (PEM): trust it in a browser or pass it as NODE_EXTRA_CA_CERTS. */
  ca: string;
  /** Where the files live, for messages. */
  caPath: string;
}

/** Host names and addresses the localhost certificate covers. */
export const LOCAL_TLS_NAMES = ['localhost', '127.0.0.1', '::1'] as const;

const CA_DAYS = 3650;
const CERT_DAYS = 825; // the longest validity browsers accept for a leaf certificate

/**
 * The folder that keeps generated local state (CA, certificates, signing keys): `.local/` at the
 * repository root, git-ignored, or `EXPLORER_STATE_DIR` when set.
 */
export function localStateDir(): string {
  return resolve(process.env.EXPLORER_STATE_DIR ?? join(import.meta.dirname, '..', '..', '.local'));
}

/**
 * Returns the local CA and a certificate for localhost, 127.0.0.1 and ::1 signed by it, generating
 * them on the first call and reusing them afterwards (a leaf that expires within 30 days is renewed).
 */
export async function ensureLocalTls(dir = join(localStateDir(), 'tls')): Promise<LocalTls> {
  const caPath = join(dir, 'ca.pem');
  const caKeyPath = join(dir, 'ca-key.pem');
  const certPath = join(dir, 'localhost.pem');
  const keyPath = join(dir, 'localhost-key.pem');
  await mkdir(dir, { recursive: true, mode: 0o700 });

  let ca: TlsPair;
  if (existsSync(caPath) && existsSync(caKeyPath)) {
    ca = { cert: await readFile(caPath, 'utf8'), key: await readFile(caKeyPath, 'utf8') };
  } else {
    ca = await createCA({
      organization: 'Databricks Entra Explorer local CA',
      countryCode: 'ZZ',
      state: 'Local',
      locality: 'Local',
      validity: CA_DAYS,
    });
    await writeFile(caKeyPath, ca.key, { mode: 0o600 });
    await writeFile(caPath, ca.cert);
  }

  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = await readFile(certPath, 'utf8');
    if (isUsable(cert, ca.cert)) {
      return { cert, key: await readFile(keyPath, 'utf8'), ca: ca.cert, caPath };
    }
  }
  const leaf = await createCert({ ca, domains: [...LOCAL_TLS_NAMES], validity: CERT_DAYS });
  await writeFile(keyPath, leaf.key, { mode: 0o600 });
  await writeFile(certPath, leaf.cert);
  return { ...leaf, ca: ca.cert, caPath };
}

function isUsable(certPem: string, caPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    const renewBy = Date.now() + 30 * 24 * 3600 * 1000;
    return cert.checkIssued(ca) && cert.verify(ca.publicKey) && Date.parse(cert.validTo) > renewBy;
  } catch {
    return false;
  }
}

/**
 * A certificate for other host names (say `login.microsoftonline.com` for a sandbox that answers
 * under a real host name), signed by the local CA of {@link ensureLocalTls} and generated afresh on
 * each call (not stored). Only clients that trust the local CA, or pin this key, accept it.
 */
export async function issueLocalCertificate(
  names: readonly string[],
  dir = join(localStateDir(), 'tls'),
): Promise<LocalTls> {
  if (names.length === 0) throw new TypeError('issueLocalCertificate needs at least one host name.');
  const local = await ensureLocalTls(dir);
  const caKey = await readFile(join(dir, 'ca-key.pem'), 'utf8');
  const leaf = await createCert({ ca: { key: caKey, cert: local.ca }, domains: [...names], validity: CERT_DAYS });
  return { ...leaf, ca: local.ca, caPath: local.caPath };
}

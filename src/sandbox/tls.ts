import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
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
 * The names a leaf certificate covers: {@link LOCAL_TLS_NAMES}, then `extraNames` (a LAN host
 * name, lower-cased) without repeats.
 */
export function localTlsNames(extraNames: readonly string[] = []): string[] {
  return [...new Set([...LOCAL_TLS_NAMES, ...extraNames.map((name) => name.toLowerCase())])];
}

/**
 * Returns the local CA and a certificate for localhost, 127.0.0.1 and ::1 signed by it, generating
 * them on the first call and reusing them afterwards (a leaf that expires within 30 days, or whose
 * names differ from those wanted, is renewed).
 *
 * With `extraNames` (a team demo's LAN host name) the leaf covers those as well and is kept apart,
 * in `lan.pem`: `localhost.pem` stays as it is for servers without them (several may run at once,
 * as in the end-to-end tests), and `lan.pem` is issued again whenever the LAN name changes.
 */
export async function ensureLocalTls(
  dir = join(localStateDir(), 'tls'),
  extraNames: readonly string[] = [],
): Promise<LocalTls> {
  const names = localTlsNames(extraNames);
  const leafName = names.length > LOCAL_TLS_NAMES.length ? 'lan' : 'localhost';
  const caPath = join(dir, 'ca.pem');
  const caKeyPath = join(dir, 'ca-key.pem');
  const certPath = join(dir, `${leafName}.pem`);
  const keyPath = join(dir, `${leafName}-key.pem`);
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
    if (isUsable(cert, ca.cert, names)) {
      return { cert, key: await readFile(keyPath, 'utf8'), ca: ca.cert, caPath };
    }
  }
  const leaf = await createCert({ ca, domains: names, validity: CERT_DAYS });
  await writeFile(keyPath, leaf.key, { mode: 0o600 });
  await writeFile(certPath, leaf.cert);
  return { ...leaf, ca: ca.cert, caPath };
}

function isUsable(certPem: string, caPem: string, names: readonly string[]): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    const renewBy = Date.now() + 30 * 24 * 3600 * 1000;
    return (
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      Date.parse(cert.validTo) > renewBy &&
      coversExactly(cert, names)
    );
  } catch {
    return false;
  }
}

/** Whether the certificate names exactly `names`: each one, and no other (a LAN name no longer in use). */
function coversExactly(cert: X509Certificate, names: readonly string[]): boolean {
  const entries = (cert.subjectAltName ?? '').split(', ').filter((entry) => entry !== '');
  return (
    entries.length === names.length &&
    names.every(
      (name) => (isIP(name) === 0 ? cert.checkHost(name, { wildcards: false }) : cert.checkIP(name)) !== undefined,
    )
  );
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

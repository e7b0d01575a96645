import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCA } from 'mkcert';

/** The sandbox Entra ID's token-signing key and the self-signed certificate published with it. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Key ID: equal to `x5t`, as in Entra's JWKS. */
  kid: string;
  /** base64url SHA-1 thumbprint of the certificate. */
  x5t: string;
  /** The certificate, base64 DER (the JWKS `x5c` entry). */
  x5c: string;
}

/** A stable error code for signing-key problems. */
export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
  readonly code = 'SANDBOX_SIGNING_KEY_UNUSABLE';
  readonly path: string;
  constructor(path: string, options?: ErrorOptions) {
    super(
      `The sandbox signing key in ${path} cannot be read. Delete that folder to generate a new key (tokens issued before become invalid).`,
      options,
    );
    this.path = path;
  }
}

const KEY_FILE = 'signing-key.pem';
const CERT_FILE = 'signing-cert.pem';

/**
 * Returns the RS256 signing key kept in `{stateDir}/entra/`, generating it (RSA 2048 with a
 * self-signed certificate, valid 10 years) on first use, so that tokens stay verifiable across
 * restarts.
 * @throws {SigningKeyError} when the stored files exist but cannot be parsed.
 * @see https://learn.microsoft.com/entra/identity-platform/signing-key-rollover
 */
export async function ensureSigningKey(stateDir: string): Promise<SigningKey> {
  const dir = join(stateDir, 'entra');
  const keyPath = join(dir, KEY_FILE);
  const certPath = join(dir, CERT_FILE);
  if (existsSync(keyPath) && existsSync(certPath)) {
    try {
      return signingKeyFrom(await readFile(keyPath, 'utf8'), await readFile(certPath, 'utf8'));
    } catch (error) {
      throw new SigningKeyError(dir, { cause: error });
    }
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const generated = await createCA({
    organization: 'Databricks Entra Explorer sandbox token signing',
    countryCode: 'ZZ',
    state: 'Local',
    locality: 'Local',
    validity: 3650,
  });
  // Write under temporary names, then rename, so a concurrent start never reads half a file.
  const suffix = randomBytes(6).toString('hex');
  await writeFile(`${keyPath}.${suffix}`, generated.key, { mode: 0o600 });
  await writeFile(`${certPath}.${suffix}`, generated.cert);
  await rename(`${keyPath}.${suffix}`, keyPath);
  await rename(`${certPath}.${suffix}`, certPath);
  return signingKeyFrom(generated.key, generated.cert);
}

function signingKeyFrom(keyPem: string, certPem: string): SigningKey {
  const privateKey = createPrivateKey(keyPem);
  const certificate = new X509Certificate(certPem);
  const publicKey = createPublicKey(privateKey);
  if (!certificate.publicKey.equals(publicKey)) throw new Error('the certificate does not match the private key');
  const x5t = Buffer.from(certificate.fingerprint.replaceAll(':', ''), 'hex').toString('base64url');
  return { privateKey, publicKey, kid: x5t, x5t, x5c: certificate.raw.toString('base64') };
}

/**
 * In a team demo colleagues download the local CA's certificate from the app (`/local-ca.pem`) and
 * compare its fingerprint with the one the presenter's server printed: the certificate only, never a key.
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCaMiddleware, LOCAL_CA_PATH, lanNotice } from '../../src/proxy/index.ts';
import type { LocalTls } from '../../src/sandbox/tls.ts';
import { removeTestTls, testTls } from './helpers.ts';

let tls: LocalTls;
beforeAll(async () => {
  tls = await testTls();
});
afterAll(() => removeTestTls());

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string | undefined;
  passed: boolean;
}

function ask(method: string, url: string): Answer {
  const answer: Answer = { status: 0, headers: {}, body: undefined, passed: false };
  const res = {
    set statusCode(value: number) {
      answer.status = value;
    },
    setHeader: (name: string, value: unknown) => {
      answer.headers[name.toLowerCase()] = value;
    },
    end: (body?: string) => {
      answer.body = body;
    },
  } as unknown as ServerResponse;
  createLocalCaMiddleware(tls.ca)({ method, url } as IncomingMessage, res, () => {
    answer.passed = true;
  });
  return answer;
}

describe('the local CA download', () => {
  it('serves the CA certificate as a download at /local-ca.pem', () => {
    const answer = ask('GET', `${LOCAL_CA_PATH}?v=1`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/x-pem-file');
    expect(answer.headers['content-disposition']).toBe('attachment; filename="local-ca.pem"');
    expect(new X509Certificate(answer.body ?? '').fingerprint256).toBe(new X509Certificate(tls.ca).fingerprint256);
    expect(answer.body).not.toContain('PRIVATE KEY');
  });

  it('leaves other paths and refuses other methods', () => {
    expect(ask('GET', '/local-ca.pem.key').passed).toBe(true);
    expect(ask('POST', LOCAL_CA_PATH)).toMatchObject({ status: 405, passed: false });
  });

  it('refuses to serve anything but certificates', () => {
    expect(() => createLocalCaMiddleware(`${tls.ca}\n${tls.key}`)).toThrow(
      'createLocalCaMiddleware takes PEM certificates only (never a key).',
    );
  });

  it('prints what colleagues open, where the CA is and its fingerprint, and the console on this machine', () => {
    const lines = lanNotice(
      { host: 'explorer-lan.test', address: '0.0.0.0', appOrigin: 'https://explorer-lan.test:5173' },
      tls.ca,
      'https://localhost:5174/_sandbox/console',
    ).join('\n');
    expect(lines).toContain('colleagues on this network open https://explorer-lan.test:5173/');
    expect(lines).toContain('download https://explorer-lan.test:5173/local-ca.pem');
    expect(lines).toContain(`SHA-256 fingerprint is ${new X509Certificate(tls.ca).fingerprint256}`);
    expect(lines).toContain('The presenter console stays on this machine: https://localhost:5174/_sandbox/console');
    expect(lines).toContain('Anyone on this network can use the app while it runs');
  });
});

import type { ClientCertificateVerdict } from './client-certificate.js';

/** Error and log messages of the mTLS checks (none of them takes a secret). */
export const mtlsMessages = {
  /** The fix named is the one for the HTTP platform in use (`HttpAdapter.getType()`). */
  notTls: (platform: string | undefined) =>
    'WhatsApp webhook: mtls mode "tls" is configured, but this request did not arrive over a TLS ' +
    'connection terminated by Node. Create the application with ' +
    httpsSetting(platform, "{ key, cert, ca: <Meta's CA>, requestCert: true }") +
    ', or, if a proxy terminates TLS, use mtls mode "proxy-header" with the header it sets.',
  notRequested: (platform: string | undefined) =>
    'WhatsApp webhook: mtls mode "tls" is configured, but the HTTPS server does not request a ' +
    "client certificate. Add `requestCert: true` and `ca: <Meta's CA>` to " +
    httpsSetting(platform, '{ key, cert }') +
    '.',
  rejected: (verdict: Extract<ClientCertificateVerdict, { ok: false }>) =>
    `WhatsApp webhook: client certificate rejected: ${REASONS[verdict.reason]}.`,
  rejectedDetail: (verdict: Extract<ClientCertificateVerdict, { ok: false }>) =>
    `client certificate rejected (${verdict.reason}): ${verdict.detail}`,
};

/**
 * Where HTTPS settings go: Nest's `httpsOptions` on Express; on Fastify the adapter's `https`
 * option (Fastify ignores `httpsOptions`).
 */
function httpsSetting(platform: string | undefined, settings: string): string {
  return platform === 'fastify'
    ? `\`new FastifyAdapter({ https: ${settings} })\``
    : `\`httpsOptions: ${settings}\``;
}

const REASONS: Record<Extract<ClientCertificateVerdict, { ok: false }>['reason'], string> = {
  missing: 'no client certificate was presented',
  untrusted: 'the certificate does not chain to the trusted CA',
  'wrong-cn': 'the certificate subject does not have the expected common name',
  malformed: 'the forwarded certificate subject is malformed',
  'untrusted-proxy':
    'the client certificate header is only accepted from a trusted proxy, and this request did not come from one',
};

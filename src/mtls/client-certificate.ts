import { commonNamesOf } from './distinguished-name.js';

/**
 * Common name of the client certificate Meta presents on webhook deliveries when mTLS is
 * enabled for the app.
 *
 * @see https://developers.facebook.com/docs/graph-api/webhooks/getting-started#mtls-for-webhooks
 */
export const META_WEBHOOK_CLIENT_CN = 'client.webhooks.fbclientcerts.com';

/**
 * What {@link checkClientCertificate} reads from a TLS connection: pass
 * `tlsSocket.authorized`, `tlsSocket.authorizationError` and `tlsSocket.getPeerCertificate()`.
 */
export interface PeerCertificateInput {
  /**
   * `tlsSocket.authorized`: true only when Node verified the certificate chain against the
   * server's `ca` (set `ca` to Meta's CA alone, otherwise Node's default public roots are used).
   */
  readonly authorized: boolean;
  /** `tlsSocket.authorizationError` (Node gives an OpenSSL code such as `'UNABLE_TO_GET_ISSUER_CERT'`). */
  readonly authorizationError?: unknown;
  /**
   * `tlsSocket.getPeerCertificate()`: `{}` when the client presented none, `null` once the socket
   * is destroyed. Only `subject` is read; its `CN` may be an array when the certificate has several.
   */
  readonly certificate:
    | { readonly subject?: Readonly<Record<string, string | readonly string[] | undefined>> }
    | null
    | undefined;
}

/** Why a client certificate was refused. */
export type ClientCertificateRejection =
  /** No certificate was presented (or the proxy sent no subject header). */
  | 'missing'
  /** The chain does not lead to the configured CA (or failed another verification step). */
  | 'untrusted'
  /** The subject has no common name, several, or one that is not the expected CN. */
  | 'wrong-cn'
  /** The subject header is not a well-formed distinguished name, or was sent more than once. */
  | 'malformed'
  /** The subject header came from an address that is not a configured trusted proxy. */
  | 'untrusted-proxy';

/** The outcome of a client-certificate check. */
export type ClientCertificateVerdict =
  | { readonly ok: true; readonly cn: string }
  | {
      readonly ok: false;
      readonly reason: ClientCertificateRejection;
      /** A sentence for logs (it may quote the presented CN; never a secret). */
      readonly detail: string;
    };

/**
 * Checks the client certificate of a TLS connection the way Meta asks: a certificate was
 * presented, Node verified its chain against the configured CA (`authorized`), and its subject
 * has exactly one common name, equal to `expectedCn`. Pure: it only reads its input.
 *
 * @param expectedCn compared exactly (case-sensitive, no wildcards); defaults to
 *   {@link META_WEBHOOK_CLIENT_CN}, `'client.webhooks.fbclientcerts.com'`.
 * @example
 * const socket = req.socket as TLSSocket;
 * const verdict = checkClientCertificate({
 *   authorized: socket.authorized,
 *   authorizationError: socket.authorizationError,
 *   certificate: socket.getPeerCertificate(),
 * });
 * if (!verdict.ok) res.writeHead(403).end();
 */
export function checkClientCertificate(
  input: PeerCertificateInput,
  expectedCn: string = META_WEBHOOK_CLIENT_CN,
): ClientCertificateVerdict {
  const { certificate } = input;
  if (!certificate || Object.keys(certificate).length === 0) {
    return { ok: false, reason: 'missing', detail: 'no client certificate was presented' };
  }
  if (input.authorized !== true) {
    const error =
      input.authorizationError instanceof Error
        ? input.authorizationError.message
        : String(input.authorizationError ?? 'not verified');
    return {
      ok: false,
      reason: 'untrusted',
      detail: `the client certificate does not chain to the configured CA (${error})`,
    };
  }
  const cn = certificate.subject?.['CN'];
  const names = cn === undefined ? [] : typeof cn === 'string' ? [cn] : [...cn];
  return matchCommonNames(names, expectedCn);
}

/**
 * Checks a client-certificate subject that a TLS-terminating proxy verified and forwarded in a
 * header (e.g. AWS ALB's `X-Amzn-Mtls-Clientcert-Subject`), in RFC 2253 / RFC 4514 form such as
 * `CN=client.webhooks.fbclientcerts.com,O=Meta Platforms\, Inc.,C=US`: it must parse, and have
 * exactly one common name, equal to `expectedCn`. Pure. Trust the header only when it comes
 * from your own proxy, which must overwrite any value a client sent.
 *
 * @param subject the header value; `undefined` when the header is absent.
 * @param expectedCn compared exactly (case-sensitive, no wildcards); defaults to
 *   {@link META_WEBHOOK_CLIENT_CN}, `'client.webhooks.fbclientcerts.com'`.
 */
export function checkClientCertificateSubject(
  subject: string | undefined,
  expectedCn: string = META_WEBHOOK_CLIENT_CN,
): ClientCertificateVerdict {
  if (subject === undefined || subject.trim() === '') {
    return { ok: false, reason: 'missing', detail: 'no client certificate subject was forwarded' };
  }
  const names = commonNamesOf(subject);
  if (!names) {
    return {
      ok: false,
      reason: 'malformed',
      detail: `the forwarded subject is not an RFC 4514 distinguished name: ${JSON.stringify(subject.slice(0, 200))}`,
    };
  }
  return matchCommonNames(names, expectedCn);
}

function matchCommonNames(names: readonly string[], expectedCn: string): ClientCertificateVerdict {
  // Several CNs are ambiguous (which one did the proxy or the CA mean?): refuse rather than pick.
  if (names.length === 1 && names[0] === expectedCn) return { ok: true, cn: expectedCn };
  const found =
    names.length === 0
      ? 'no CN'
      : `CN ${names.map((n) => JSON.stringify(n.slice(0, 200))).join(', ')}`;
  return {
    ok: false,
    reason: 'wrong-cn',
    detail: `the client certificate has ${found}, expected exactly ${JSON.stringify(expectedCn)}`,
  };
}

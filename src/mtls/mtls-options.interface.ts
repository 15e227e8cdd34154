import type { BlockList } from 'node:net';

/**
 * Node terminates TLS itself (the application is created with `httpsOptions`): the client
 * certificate of the connection is checked.
 *
 * @example
 * const app = await NestFactory.create(AppModule, {
 *   rawBody: true,
 *   httpsOptions: {
 *     key, cert,                              // your server certificate (publicly trusted)
 *     ca: readFileSync('meta-outbound-api-ca-2025-12.pem'), // Meta's CA only
 *     requestCert: true,
 *     rejectUnauthorized: true,               // unknown CAs fail the TLS handshake already
 *   },
 * });
 */
export interface WhatsAppMtlsTlsOptions {
  readonly mode: 'tls';
  /**
   * Common name the client certificate must carry, compared exactly.
   *
   * @default 'client.webhooks.fbclientcerts.com'
   */
  readonly expectedCn?: string;
}

/**
 * A proxy in front of the application (AWS ALB in mTLS verify mode, nginx, Envoy…) verifies
 * Meta's client certificate against Meta's CA and forwards its subject in a header. The header
 * is trusted only on connections whose socket address (never `X-Forwarded-For`) is one of
 * `trustedProxies`; from any other address the request is refused. The proxy must overwrite
 * the header on every request, so that a client cannot send its own.
 *
 * @example
 * mtls: {
 *   mode: 'proxy-header',
 *   header: 'X-Amzn-Mtls-Clientcert-Subject',
 *   trustedProxies: ['10.0.0.0/16'],
 * }
 */
export interface WhatsAppMtlsProxyHeaderOptions {
  readonly mode: 'proxy-header';
  /**
   * Header carrying the verified certificate's subject in RFC 2253 / RFC 4514 form, e.g.
   * `X-Amzn-Mtls-Clientcert-Subject` (AWS ALB) or a header set from nginx's `$ssl_client_s_dn`.
   */
  readonly header: string;
  /**
   * Addresses of the proxies allowed to set `header`: IPv4 or IPv6 addresses, or CIDR blocks
   * such as `'10.0.0.0/16'`, compared with the TCP peer address of the request.
   */
  readonly trustedProxies: readonly string[];
  /**
   * Common name the forwarded subject must carry, compared exactly.
   *
   * @default 'client.webhooks.fbclientcerts.com'
   */
  readonly expectedCn?: string;
}

/**
 * Client-certificate (mTLS) checking of webhook POSTs, in addition to — never instead of — the
 * `X-Hub-Signature-256` check. Unset: no mTLS check.
 */
export type WhatsAppMtlsOptions = WhatsAppMtlsTlsOptions | WhatsAppMtlsProxyHeaderOptions;

/** The mTLS options after defaults and checks, as used internally. */
export type ResolvedMtlsOptions =
  | { readonly mode: 'tls'; readonly expectedCn: string }
  | {
      readonly mode: 'proxy-header';
      /** Lower-cased, as Node exposes incoming header names. */
      readonly header: string;
      readonly trustedProxies: BlockList;
      readonly expectedCn: string;
    };

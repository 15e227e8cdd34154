import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  checkClientCertificate,
  checkClientCertificateSubject,
  type ClientCertificateVerdict,
} from './client-certificate.js';
import type { ResolvedMtlsOptions } from './mtls-options.interface.js';
import { mtlsMessages } from './mtls.messages.js';
import { isTrustedProxy, MTLS_OPTIONS } from './mtls.options.js';

/** Node's per-header value lists, used to refuse a subject header sent twice. */
type HeadersDistinct = Record<string, string[] | undefined>;

/** The parts of an HTTP request the mTLS guard reads (Express's and Fastify's requests satisfy it). */
export interface MtlsCheckedRequest {
  readonly socket: Socket | TLSSocket;
  readonly headers: IncomingHttpHeaders;
  /** Node's `IncomingMessage.headersDistinct` (an Express request is the IncomingMessage). */
  readonly headersDistinct?: HeadersDistinct;
  /** Fastify's request wraps the IncomingMessage, which holds `headersDistinct`. */
  readonly raw?: { readonly headersDistinct?: HeadersDistinct };
}

type Rejection = Extract<ClientCertificateVerdict, { ok: false }>;

/**
 * Lets a webhook request through only if it carries Meta's client certificate, as configured by
 * the module's `mtls` option; a no-op when `mtls` is unset. Bound to the webhook POST before
 * {@link WhatsAppSignatureGuard}: mTLS complements the signature, never replaces it.
 *
 * - `mode: 'tls'` (Node terminates TLS): the connection's certificate must have been presented,
 *   verified by Node against the server's `ca` (`socket.authorized`) and carry the expected CN.
 *   A request that did not arrive over TLS, or over a server without `requestCert: true`, is a
 *   misconfiguration: 500 naming the fix (Meta then redelivers once it is fixed).
 * - `mode: 'proxy-header'`: the subject header is read only on connections from a configured
 *   trusted proxy address; from anywhere else the request is refused.
 * - Any refusal → 403.
 *
 * Guards run after Nest's body parser: to refuse unknown clients before their body is read, also
 * set `rejectUnauthorized: true` in `httpsOptions` (unknown CAs then fail the TLS handshake).
 *
 * Not bound to the GET handshake: Meta requires the callback URL to be verified before mTLS is
 * enabled, and does not document whether later handshakes carry the certificate; the verify
 * token protects the handshake, which emits nothing. (With `rejectUnauthorized: true` the server
 * still refuses certificate-less connections on every route, as Meta's nginx example does.)
 *
 * Members are `protected` so that an application can subclass it (e.g. to count rejections).
 */
@Injectable()
export class WhatsAppMtlsGuard implements CanActivate {
  protected readonly logger = new Logger('WhatsAppWebhooks');

  /**
   * The HTTP adapter, whose `getType()` ('express' or 'fastify') picks the fix named for a
   * misconfigured server. A property, so that subclasses need not pass it to `super()`.
   */
  @Optional()
  @Inject(HttpAdapterHost)
  protected readonly httpAdapterHost?: HttpAdapterHost;

  constructor(
    @Inject(MTLS_OPTIONS)
    protected readonly mtls: ResolvedMtlsOptions | null,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const mtls = this.mtls;
    if (!mtls) return true;
    const request = context.getArgByIndex<MtlsCheckedRequest>(0); // an HTTP context: the request
    const verdict =
      mtls.mode === 'tls' ? this.checkTlsPeer(request, mtls) : this.checkProxyHeader(request, mtls);
    if (!verdict.ok) this.reject(request, verdict);
    return true;
  }

  /** Checks the certificate of a connection that Node terminated. */
  protected checkTlsPeer(
    request: MtlsCheckedRequest,
    mtls: Extract<ResolvedMtlsOptions, { mode: 'tls' }>,
  ): ClientCertificateVerdict {
    const socket = request.socket as Partial<TLSSocket>;
    const platform = this.httpAdapterHost?.httpAdapter?.getType();
    if (socket.encrypted !== true || typeof socket.getPeerCertificate !== 'function') {
      this.logger.error(mtlsMessages.notTls(platform));
      throw new InternalServerErrorException(mtlsMessages.notTls(platform));
    }
    const certificate = socket.getPeerCertificate();
    // A server without requestCert never asks: no certificate and no verification error.
    if (
      !socket.authorized &&
      !socket.authorizationError &&
      certificate &&
      Object.keys(certificate).length === 0
    ) {
      this.logger.error(mtlsMessages.notRequested(platform));
      throw new InternalServerErrorException(mtlsMessages.notRequested(platform));
    }
    return checkClientCertificate(
      {
        authorized: socket.authorized === true,
        authorizationError: socket.authorizationError,
        certificate,
      },
      mtls.expectedCn,
    );
  }

  /** Checks the subject header set by a trusted proxy. */
  protected checkProxyHeader(
    request: MtlsCheckedRequest,
    mtls: Extract<ResolvedMtlsOptions, { mode: 'proxy-header' }>,
  ): ClientCertificateVerdict {
    const address = request.socket.remoteAddress;
    if (!isTrustedProxy(mtls.trustedProxies, address)) {
      return {
        ok: false,
        reason: 'untrusted-proxy',
        detail: `the ${mtls.header} header is ignored from ${address ?? 'an unknown address'}, which is not in mtls.trustedProxies`,
      };
    }
    const raw = request.headers[mtls.header];
    const distinct = request.headersDistinct ?? request.raw?.headersDistinct;
    const values = distinct?.[mtls.header] ?? (raw === undefined ? [] : [raw]);
    if (values.length > 1) {
      return {
        ok: false,
        reason: 'malformed',
        detail: `the ${mtls.header} header was sent ${values.length} times`,
      };
    }
    return checkClientCertificateSubject(values[0]?.toString(), mtls.expectedCn);
  }

  /**
   * Answers 403 without the verdict's detail; the detail is the exception's `cause`, which the
   * webhook route's rejection log writes (with the remote address, rate-limited).
   */
  protected reject(_request: MtlsCheckedRequest, verdict: Rejection): never {
    throw new ForbiddenException(mtlsMessages.rejected(verdict), {
      cause: new Error(mtlsMessages.rejectedDetail(verdict)),
    });
  }
}

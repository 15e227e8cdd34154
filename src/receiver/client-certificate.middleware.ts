import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { checkClientCertificate } from '../mtls/client-certificate.js';
import { mtlsMessages } from '../mtls/mtls.messages.js';
import { WabaRejectionLog } from '../webhook/rejection-log.js';

/**
 * The receiver's mTLS check, registered before every other middleware (body parsers included):
 * a request whose connection's client certificate is missing, unverified or has another CN is
 * answered 403 and its connection closed, before a byte of its body is read. With
 * `requestCert` and `rejectUnauthorized` the TLS handshake already refuses unknown CAs; this
 * adds the CN check, which TLS itself does not make. Refusals are logged (with the detail and the
 * remote address) at `warn`, rate-limited like the webhook route's other rejections.
 */
export function clientCertificateMiddleware(
  expectedCn: string,
  rejections = new WabaRejectionLog(),
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const socket = req.socket as TLSSocket;
    const verdict = checkClientCertificate(
      {
        authorized: socket.authorized === true,
        authorizationError: socket.authorizationError,
        certificate:
          typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : null,
      },
      expectedCn,
    );
    if (verdict.ok) {
      next();
      return;
    }
    rejections.rejected(403, socket.remoteAddress, mtlsMessages.rejectedDetail(verdict));
    const body = JSON.stringify({
      statusCode: 403,
      error: 'Forbidden',
      message: mtlsMessages.rejected(verdict),
    });
    res.writeHead(403, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-Content-Type-Options': 'nosniff',
      // Closing the connection is what keeps the unread body from ever being read.
      Connection: 'close',
    });
    res.end(body);
  };
}

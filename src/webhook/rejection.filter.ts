import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  ForbiddenException,
  type HttpException,
  PayloadTooLargeException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Socket } from 'node:net';
import { WabaRejectionLog } from './rejection-log.js';

/** What the filter reads of a request (Express's and Fastify's requests have both). */
interface RequestWithAddress {
  readonly ip?: string;
  readonly socket?: Socket;
}

/**
 * Bound to the webhook POST: logs each rejection the guards and the payload pipe answer (400,
 * 401, 403, 413, 415) through {@link WabaRejectionLog} — rate-limited, never the body or a
 * signature — and answers exactly as Nest's default handler does, on Express and Fastify.
 *
 * A 403 of the mTLS guard carries the verdict's detail (which CN, which CA) as its `cause`: it is
 * logged, not sent.
 *
 * @internal
 */
@Catch(
  BadRequestException,
  UnauthorizedException,
  ForbiddenException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
)
export class WabaRejectionFilter extends BaseExceptionFilter {
  constructor(private readonly rejections: WabaRejectionLog) {
    // The HTTP adapter comes from the injected HttpAdapterHost, read when an exception is caught.
    super();
  }

  override catch(exception: HttpException, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<RequestWithAddress>();
    const cause = exception.cause;
    this.rejections.rejected(
      exception.getStatus(),
      request.ip ?? request.socket?.remoteAddress,
      cause instanceof Error ? cause.message : exception.message,
    );
    super.catch(exception, host);
  }
}

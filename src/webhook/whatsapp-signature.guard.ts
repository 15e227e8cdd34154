import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  Optional,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SIGNATURE_HEADER } from '../whatsapp-webhooks.constants.js';
import { type ResolvedSignatureOptions, SIGNATURE_OPTIONS } from './webhook.options.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import { recordSignatureVerdict, type SignatureVerdict } from './signature-verdict.decorator.js';
import { matchSignature, parseSignatureHeader, signatureKeys } from './signature.js';

/** The parts of an HTTP request the guard reads (Express's and Fastify's requests satisfy it). */
export interface SignedWebhookRequest {
  headers: IncomingHttpHeaders;
  rawBody?: Buffer;
}

const EMPTY_BODY = Buffer.alloc(0);

/**
 * Lets a webhook POST through only if its `X-Hub-Signature-256` header is the HMAC-SHA256 of
 * the exact raw request bytes under one of the configured app secrets.
 *
 * - `Content-Type` other than JSON → 415 (Nest's parser leaves no raw body for it, and it must not
 *   be mistaken for the misconfiguration below).
 * - No raw body (the app was created without `rawBody: true`) → 500 naming the fix for the HTTP
 *   platform in use (Express or Fastify), so Meta keeps redelivering until the application is fixed.
 * - Missing, malformed or mismatching signature → 401.
 *
 * Members are `protected` so that an application can subclass it (e.g. to log or count
 * rejections) and bind its subclass instead.
 */
@Injectable()
export class WhatsAppSignatureGuard implements CanActivate {
  protected readonly logger = new Logger('WhatsAppWebhooks');

  /**
   * The HTTP adapter, whose `getType()` ('express' or 'fastify') picks the fix named when the
   * raw body is missing. A property, so that subclasses need not pass it to `super()`.
   */
  @Optional()
  @Inject(HttpAdapterHost)
  protected readonly httpAdapterHost?: HttpAdapterHost;

  /** The HMAC key of each secret of `options.appSecrets`, in order. */
  protected readonly keys: readonly KeyObject[];
  /**
   * The verdict of each secret that names an app (the same object for every request it
   * verifies); `undefined` for a secret that names none, whose verdict nothing reads.
   */
  private readonly verdicts: readonly (SignatureVerdict | undefined)[];
  /** The signature of the request being checked (canActivate is synchronous up to its use). */
  private readonly provided = Buffer.alloc(32);

  constructor(
    @Inject(SIGNATURE_OPTIONS)
    protected readonly options: ResolvedSignatureOptions,
  ) {
    this.keys = signatureKeys(options.appSecrets);
    this.verdicts = options.appSecrets.map((_, secretIndex) => {
      const app = options.secretApps[secretIndex];
      return app === undefined ? undefined : Object.freeze({ secretIndex, app });
    });
  }

  canActivate(context: ExecutionContext): boolean {
    // The request is the first argument of an HTTP context; `switchToHttp()` would add three
    // closures to the context object on every request.
    const request = context.getArgByIndex<SignedWebhookRequest>(0);
    this.assertJsonContentType(request.headers['content-type']);
    const rawBody = this.getRawBody(request);
    const header = request.headers[SIGNATURE_HEADER];
    if (header === undefined) throw new UnauthorizedException(messages.signatureMissing());
    // Decoded into the guard's own buffer: read by matchSignature before anything else runs.
    const provided = parseSignatureHeader(header, this.provided);
    if (!provided) throw new UnauthorizedException(messages.signatureMalformed());
    const index = matchSignature(rawBody, provided, this.keys);
    if (index < 0) throw new UnauthorizedException(messages.signatureMismatch());
    // Only a named app's verdict is recorded: the handler reads nothing else, and a new
    // property on Express's request costs ~1.3 µs (see SignatureVerdict).
    const verdict = this.verdicts[index];
    if (verdict !== undefined) recordSignatureVerdict(request, verdict);
    return true;
  }

  protected assertJsonContentType(contentType: string | undefined): void {
    if (contentType === 'application/json') return; // what Meta sends
    const mediaType = contentType?.split(';', 1)[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      throw new UnsupportedMediaTypeException(messages.unsupportedMediaType(contentType));
    }
  }

  protected getRawBody(request: SignedWebhookRequest): Buffer {
    if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
    // Nest's parser sets no raw body for an empty request; that is not a misconfiguration.
    if (request.headers['content-length'] === '0') return EMPTY_BODY;
    const message = messages.rawBodyMissing(this.httpAdapterHost?.httpAdapter?.getType());
    this.logger.error(message);
    throw new InternalServerErrorException(message);
  }
}

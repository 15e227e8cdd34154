import { Injectable, Logger } from '@nestjs/common';
import type {
  WabaChangeEvent,
  WabaInvalidEvent,
  WabaMessageEvent,
  WabaStatusEvent,
} from '../events/waba-events.types.js';
import {
  OnWaba,
  OnWabaInvalid,
  OnWabaMessage,
  OnWabaStatus,
} from '../events/waba-listener.decorators.js';

/** The named app, when the receiver has several. */
const appOf = (event: { readonly app?: string }) =>
  event.app === undefined ? {} : { app: event.app };

/**
 * Writes every event the receiver gets as log lines (context `WabaEvent`):
 *
 * - at `log`, one line per event with what identifies it and nothing personal: kind, field,
 *   WABA id, message or status id, type, status, phone number *id*, error codes — never a
 *   message's text or media, a name, a phone number or a value of a management field (those
 *   carry phone numbers and names too);
 * - at `debug`, a second line with the whole event (`event`), for troubleshooting.
 *
 * Invalid changes are written at `warn` with their validation errors (property paths and rules,
 * not values).
 */
@Injectable()
export class EventLogListener {
  private readonly logger = new Logger('WabaEvent');

  @OnWaba('*')
  onChange(event: WabaChangeEvent): void {
    const summary = {
      kind: 'change',
      field: event.field,
      entryId: event.entryId,
      ...(event.time === undefined ? {} : { entryTime: event.time }),
      ...appOf(event),
    };
    this.logger.log({ message: `WhatsApp "${event.field}" change received`, ...summary });
    this.logger.debug({ message: 'WhatsApp change (whole event)', ...summary, event });
  }

  @OnWabaMessage()
  onMessage(event: WabaMessageEvent): void {
    const { message, metadata } = event;
    const summary = {
      kind: 'message',
      field: 'messages',
      type: message.type,
      id: message.id,
      entryId: event.entryId,
      phoneNumberId: metadata.phone_number_id,
      ...appOf(event),
    };
    this.logger.log({ message: `WhatsApp ${message.type} message received`, ...summary });
    this.logger.debug({ message: 'WhatsApp message (whole event)', ...summary, event });
  }

  @OnWabaStatus()
  onStatus(event: WabaStatusEvent): void {
    const { status, metadata } = event;
    const summary = {
      kind: 'status',
      field: 'messages',
      status: status.status,
      id: status.id,
      entryId: event.entryId,
      phoneNumberId: metadata.phone_number_id,
      ...(status.errors?.length ? { errorCodes: status.errors.map((e) => e.code) } : {}),
      ...appOf(event),
    };
    this.logger.log({ message: `WhatsApp message status "${status.status}"`, ...summary });
    this.logger.debug({ message: 'WhatsApp status (whole event)', ...summary, event });
  }

  @OnWabaInvalid()
  onInvalid(event: WabaInvalidEvent): void {
    const summary = {
      kind: 'invalid',
      field: event.field,
      entryId: event.entryId,
      errors: event.errors,
      ...appOf(event),
    };
    this.logger.warn({ message: `Invalid "${event.field}" change received`, ...summary });
    this.logger.debug({ message: 'Invalid change (whole event)', ...summary, event });
  }
}

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

/** Writes every event the receiver gets as one structured log line. */
@Injectable()
export class EventLogListener {
  private readonly logger = new Logger('WabaEvent');

  @OnWaba('*')
  onChange(event: WabaChangeEvent): void {
    this.logger.log({ kind: 'change', ...event });
  }

  @OnWabaMessage()
  onMessage(event: WabaMessageEvent): void {
    this.logger.log({ kind: 'message', field: 'messages', ...event });
  }

  @OnWabaStatus()
  onStatus(event: WabaStatusEvent): void {
    this.logger.log({ kind: 'status', field: 'messages', ...event });
  }

  @OnWabaInvalid()
  onInvalid(event: WabaInvalidEvent): void {
    this.logger.warn({ kind: 'invalid', ...event });
  }
}

import { Injectable, Logger } from '@nestjs/common';
import {
  OnWaba,
  OnWabaMessage,
  OnWabaStatus,
  type WabaChangeEvent,
  type WabaMessageEvent,
  type WabaStatusEvent,
} from 'nestjs-whatsapp-webhooks';

/** Your listeners: methods of any provider, typed by the field, message type or status. */
@Injectable()
export class WhatsAppListener {
  private readonly logger = new Logger(WhatsAppListener.name);

  @OnWaba('message_template_status_update')
  onTemplate(e: WabaChangeEvent<'message_template_status_update'>): void {
    this.logger.log(`template ${e.value.message_template_name} is now ${e.value.event}`);
  }

  @OnWabaMessage('text')
  onText(e: WabaMessageEvent<'text'>): void {
    // Message text and phone numbers are personal data: log them at debug level at most.
    this.logger.log(`text message ${e.message.id} received`);
    this.logger.debug(`from ${e.message.from}: ${e.message.text.body}`);
  }

  @OnWabaStatus('failed')
  onFailed(e: WabaStatusEvent): void {
    this.logger.warn(`message ${e.status.id} failed: ${e.status.errors?.[0]?.title ?? 'unknown'}`);
  }
}

import { Injectable, Logger } from '@nestjs/common';
import {
  OnWabaDeliveryFailed,
  OnWabaMessage,
  type WabaDeliveryFailedEvent,
  type WabaMessageEvent,
} from 'nestjs-whatsapp-webhooks';

/** Runs in the workers. A listener that throws is retried with backoff, up to `attempts`. */
@Injectable()
export class OrderListener {
  private readonly logger = new Logger(OrderListener.name);
  /** Stand-in for your database: delivery is at least once, so side effects use the wamid. */
  private readonly handled = new Set<string>();

  @OnWabaMessage(['text', 'order'])
  onMessage(e: WabaMessageEvent<'text' | 'order'>): void {
    if (this.handled.has(e.message.id)) return;
    this.handled.add(e.message.id);
    this.logger.log(`${e.message.type} message ${e.message.id} handled`);
  }

  @OnWabaDeliveryFailed()
  onDeadLetter(e: WabaDeliveryFailedEvent): void {
    this.logger.error(`update ${e.key} failed ${e.attempts} times; job ${e.jobId} kept`);
  }
}

import { Injectable, Logger } from '@nestjs/common';
import {
  OnWaba,
  OnWabaInvalid,
  type WabaChangeEvent,
  type WabaInvalidEvent,
} from 'nestjs-whatsapp-webhooks';

@Injectable()
export class AccountListener {
  private readonly logger = new Logger(AccountListener.name);

  @OnWaba(['account_update', 'phone_number_quality_update'])
  onAccount(e: WabaChangeEvent<'account_update' | 'phone_number_quality_update'>): void {
    this.logger.log(`${e.field} for WABA ${e.entryId}: ${e.value.event}`);
  }

  @OnWabaInvalid()
  onInvalid(e: WabaInvalidEvent): void {
    this.logger.warn(`invalid ${e.field} change: ${e.errors.join('; ')}`);
  }
}

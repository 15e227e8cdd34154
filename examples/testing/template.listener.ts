import { Injectable } from '@nestjs/common';
import { OnWaba, type WabaChangeEvent } from 'nestjs-whatsapp-webhooks';

/** The provider under test: mirrors template statuses (here in memory). */
@Injectable()
export class TemplateMirror {
  readonly statuses = new Map<string, string>();

  @OnWaba('message_template_status_update')
  async onTemplate(e: WabaChangeEvent<'message_template_status_update'>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 50)); // e.g. a database write
    this.statuses.set(e.value.message_template_name, e.value.event);
  }
}

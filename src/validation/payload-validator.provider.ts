import { type FactoryProvider, Logger } from '@nestjs/common';
import { WebhookEnvelopeDto } from '../dto/webhook-envelope.dto.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import { ClassValidatorPayloadValidator } from './class-validator.payload-validator.js';
import { CompiledPayloadValidator } from './compiled.payload-validator.js';
import { createDtoFastPath } from './dto-fast-path.js';
import { TESTED_PEER_VERSIONS } from './library-metadata.adapter.js';
import {
  WABA_PAYLOAD_VALIDATOR,
  type WabaPayloadValidator,
} from './payload-validator.interface.js';

const logger = new Logger('WhatsAppWebhooks');

let chosen: WabaPayloadValidator | undefined;

/**
 * The compiled validator when class-transformer's metadata storage is the one the DTOs
 * registered with (the envelope's `@Type` on `entry` is the probe), class-validator's
 * otherwise. Chosen once per process, so that every application shares the compiled plans.
 */
export function payloadValidator(): WabaPayloadValidator {
  if (!chosen) {
    const fastPath = createDtoFastPath({ cls: WebhookEnvelopeDto, property: 'entry' });
    chosen = fastPath.enabled
      ? new CompiledPayloadValidator(fastPath)
      : new ClassValidatorPayloadValidator();
  }
  return chosen;
}

/** Provides {@link WABA_PAYLOAD_VALIDATOR} and says at bootstrap (debug) which one is active. @internal */
export const payloadValidatorProvider: FactoryProvider<WabaPayloadValidator> = {
  provide: WABA_PAYLOAD_VALIDATOR,
  useFactory: () => {
    const validator = payloadValidator();
    const tested = Object.entries(TESTED_PEER_VERSIONS)
      .map(([name, version]) => `${name}@${version}`)
      .join(', ');
    logger.debug(messages.payloadValidatorChosen(validator.name, tested));
    return validator;
  },
};

import { IsOptional, IsString } from 'class-validator';
import type {
  MessagingHandoversValue,
  WabaHandoverControl,
  WabaHandoverRecipient,
  WabaHandoverSender,
} from '../types/index.js';
import { IsStringOrInt, OptionalNestedObject } from './shared/validators.js';

/** The business phone number of a handover. */
export class HandoverRecipientDto implements WabaHandoverRecipient {
  @IsOptional()
  @IsString()
  display_phone_number?: string;

  @IsOptional()
  @IsString()
  phone_number_id?: string;
}

/** The consumer of a handover. */
export class HandoverSenderDto implements WabaHandoverSender {
  @IsOptional()
  @IsString()
  phone_number?: string;
}

/** The control object of a handover. */
export class HandoverControlDto implements WabaHandoverControl {
  @IsOptional()
  @IsString()
  metadata?: string;

  @IsOptional()
  @IsString()
  previous_owner_role?: string;

  @IsOptional()
  @IsString()
  new_owner_role?: string;
}

/** `value` of the `messaging_handovers` field (thin evidence: every key optional). */
export class MessagingHandoversDto implements MessagingHandoversValue {
  [key: string]: unknown;

  @IsOptional()
  @IsString()
  messaging_product?: 'whatsapp';

  @OptionalNestedObject(() => HandoverRecipientDto)
  recipient?: HandoverRecipientDto;

  @OptionalNestedObject(() => HandoverSenderDto)
  sender?: HandoverSenderDto;

  @IsOptional()
  @IsStringOrInt()
  timestamp?: string | number;

  @IsOptional()
  @IsString()
  type?: string;

  @OptionalNestedObject(() => HandoverControlDto)
  control_passed?: HandoverControlDto;

  @OptionalNestedObject(() => HandoverControlDto)
  control_taken?: HandoverControlDto;
}

import { IsOptional, IsString } from 'class-validator';
import type {
  WabaContactCard,
  WabaContactCardAddress,
  WabaContactCardEmail,
  WabaContactCardName,
  WabaContactCardOrg,
  WabaContactCardPhone,
  WabaContactCardUrl,
} from '../../types/index.js';
import { OptionalNestedArray, OptionalNestedObject, ValidateNestedObject } from './validators.js';

/** `name` of a shared contact card. */
export class ContactCardNameDto implements WabaContactCardName {
  @IsString()
  formatted_name!: string;

  @IsOptional()
  @IsString()
  first_name?: string;

  @IsOptional()
  @IsString()
  last_name?: string;

  @IsOptional()
  @IsString()
  middle_name?: string;

  @IsOptional()
  @IsString()
  suffix?: string;

  @IsOptional()
  @IsString()
  prefix?: string;
}

/** A phone number of a shared contact card. */
export class ContactCardPhoneDto implements WabaContactCardPhone {
  @IsOptional()
  @IsString()
  phone?: string;

  @IsOptional()
  @IsString()
  wa_id?: string;

  @IsOptional()
  @IsString()
  type?: string;
}

/** An e-mail address of a shared contact card. */
export class ContactCardEmailDto implements WabaContactCardEmail {
  @IsString()
  email!: string;

  @IsOptional()
  @IsString()
  type?: string;
}

/** A postal address of a shared contact card. */
export class ContactCardAddressDto implements WabaContactCardAddress {
  @IsOptional()
  @IsString()
  street?: string;

  @IsOptional()
  @IsString()
  city?: string;

  @IsOptional()
  @IsString()
  state?: string;

  @IsOptional()
  @IsString()
  zip?: string;

  @IsOptional()
  @IsString()
  country?: string;

  @IsOptional()
  @IsString()
  country_code?: string;

  @IsOptional()
  @IsString()
  type?: string;
}

/** Organisation of a shared contact card. */
export class ContactCardOrgDto implements WabaContactCardOrg {
  @IsOptional()
  @IsString()
  company?: string;

  @IsOptional()
  @IsString()
  department?: string;

  @IsOptional()
  @IsString()
  title?: string;
}

/** A URL of a shared contact card. */
export class ContactCardUrlDto implements WabaContactCardUrl {
  @IsString()
  url!: string;

  @IsOptional()
  @IsString()
  type?: string;
}

/** One card of a `contacts` message. */
export class ContactCardDto implements WabaContactCard {
  @ValidateNestedObject(() => ContactCardNameDto)
  name!: ContactCardNameDto;

  @OptionalNestedArray(() => ContactCardPhoneDto)
  phones?: ContactCardPhoneDto[];

  @OptionalNestedArray(() => ContactCardEmailDto)
  emails?: ContactCardEmailDto[];

  @OptionalNestedArray(() => ContactCardAddressDto)
  addresses?: ContactCardAddressDto[];

  @OptionalNestedObject(() => ContactCardOrgDto)
  org?: ContactCardOrgDto;

  @OptionalNestedArray(() => ContactCardUrlDto)
  urls?: ContactCardUrlDto[];

  @IsOptional()
  @IsString()
  birthday?: string;

  @IsOptional()
  @IsString()
  vcard?: string;
}

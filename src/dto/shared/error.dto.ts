import { IsInt, IsOptional, IsString } from 'class-validator';
import type { WabaError, WabaErrorData } from '../../types/index.js';
import { OptionalNestedObject } from './validators.js';

/** `error_data` of a WABA error. */
export class ErrorDataDto implements WabaErrorData {
  @IsString()
  details!: string;
}

/** A WABA error (value-, message- and status-level `errors[]`). */
export class ErrorDto implements WabaError {
  @IsInt()
  code!: number;

  @IsString()
  title!: string;

  @IsOptional()
  @IsString()
  message?: string;

  @OptionalNestedObject(() => ErrorDataDto)
  error_data?: ErrorDataDto;

  @IsOptional()
  @IsString()
  href?: string;
}

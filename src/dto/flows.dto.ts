import { IsInt, IsNumber, IsOptional, IsString } from 'class-validator';
import type { FlowsValue, WabaFlowErrorRate } from '../types/index.js';
import { OptionalNestedArray } from './shared/validators.js';

/** One error kind of a Flow error-rate alert. */
export class FlowErrorRateDto implements WabaFlowErrorRate {
  @IsString()
  error_type!: string;

  @IsNumber()
  error_rate!: number;

  @IsInt()
  error_count!: number;
}

/** `value` of the `flows` field (Flow status changes and endpoint health alerts). */
export class FlowsDto implements FlowsValue {
  @IsString()
  event!: string;

  @IsString()
  message!: string;

  @IsString()
  flow_id!: string;

  @IsOptional()
  @IsString()
  old_status?: string;

  @IsOptional()
  @IsString()
  new_status?: string;

  @IsOptional()
  @IsString()
  alert_state?: string;

  @IsOptional()
  @IsNumber()
  error_rate?: number;

  @IsOptional()
  @IsNumber()
  threshold?: number;

  @OptionalNestedArray(() => FlowErrorRateDto)
  errors?: FlowErrorRateDto[];

  @IsOptional()
  @IsNumber()
  p50_latency?: number;

  @IsOptional()
  @IsNumber()
  p90_latency?: number;

  @IsOptional()
  @IsNumber()
  requests_count?: number;

  @IsOptional()
  @IsNumber()
  availability?: number;
}

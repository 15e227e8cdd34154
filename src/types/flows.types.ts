import type { OpenString } from './open-string.js';

/** Flow statuses known so far. */
export type WabaKnownFlowStatus = 'DRAFT' | 'PUBLISHED' | 'THROTTLED' | 'BLOCKED' | 'DEPRECATED';

/** One error kind of a `CLIENT_ERROR_RATE` / `ENDPOINT_ERROR_RATE` alert. */
export interface WabaFlowErrorRate {
  error_type: string;
  error_rate: number;
  error_count: number;
}

/**
 * `value` of `flows`: Flow status changes and endpoint health alerts.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/flows
 */
export interface FlowsValue {
  event: OpenString<
    | 'FLOW_STATUS_CHANGE'
    | 'CLIENT_ERROR_RATE'
    | 'ENDPOINT_ERROR_RATE'
    | 'ENDPOINT_LATENCY'
    | 'ENDPOINT_AVAILABILITY'
    | 'FLOW_VERSION_EXPIRY_WARNING'
  >;
  /** Human-readable summary. */
  message: string;
  flow_id: string;
  old_status?: OpenString<WabaKnownFlowStatus>;
  new_status?: OpenString<WabaKnownFlowStatus>;
  alert_state?: OpenString<'ACTIVATED' | 'DEACTIVATED'>;
  error_rate?: number;
  threshold?: number;
  errors?: WabaFlowErrorRate[];
  p50_latency?: number;
  p90_latency?: number;
  requests_count?: number;
  availability?: number;
}

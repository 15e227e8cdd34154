import type { OpenString } from './open-string.js';

/**
 * `value` of `partner_solutions`: a Multi-Partner Solution was created or changed status.
 * `entry.id` is the business portfolio ID, not a WABA.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/partner_solutions
 */
export interface PartnerSolutionsValue {
  event: OpenString<'SOLUTION_CREATED' | 'SOLUTION_UPDATED'>;
  /** Multi-Partner Solution ID. */
  solution_id: string;
  solution_status: OpenString<
    'ACTIVE' | 'DEACTIVATED' | 'DRAFT' | 'INITIATED' | 'PENDING_DEACTIVATION' | 'REJECTED'
  >;
}

/**
 * `value` of `payment_configuration_update`: a payment gateway configuration (Payments API
 * India / Brazil) changed.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/payment_configuration_update
 */
export interface PaymentConfigurationUpdateValue {
  /** e.g. `razorpay-prod`. */
  configuration_name: string;
  provider_name: OpenString<'billdesk' | 'payu' | 'razorpay' | 'zaakpay'>;
  /** Gateway merchant account ID. */
  provider_mid: string;
  /** Mixed case with spaces. */
  status: OpenString<'Active' | 'Needs Connecting' | 'Needs Testing'>;
  /** Unix seconds as an integer. */
  created_timestamp: number;
  /** Unix seconds as an integer. */
  updated_timestamp: number;
}

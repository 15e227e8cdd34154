/**
 * `nestjs-whatsapp-webhooks/health`: the `@nestjs/terminus` health indicator, in its own entry
 * so that applications without terminus never load it.
 *
 * @packageDocumentation
 */
export { WabaHealthIndicator } from './waba-health.indicator.js';

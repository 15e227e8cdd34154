/**
 * Every error and log message of the module, built in one place so that wording stays
 * consistent and secrets never reach them (nothing here takes a secret or a token).
 */
export const messages = {
  invalidOption: (name: string, problem: string) =>
    `WhatsAppWebhooksModule: option "${name}" ${problem}.`,
  /** The fix named is the one for the HTTP platform in use (`HttpAdapter.getType()`). */
  rawBodyMissing: (platform: string | undefined) =>
    'WhatsApp webhook: the raw request body is not available, so the X-Hub-Signature-256 ' +
    'signature cannot be verified. ' +
    (platform === 'fastify'
      ? 'Create the application with `NestFactory.create(AppModule, new FastifyAdapter({ ' +
        "bodyLimit: 5 * 1024 * 1024 }), { rawBody: true })` and keep Nest's JSON parser: on " +
        "Fastify never call `app.useBodyParser('json', …)` (the body limit is the adapter's " +
        '`bodyLimit`).'
      : 'Create the application with `NestFactory.create(AppModule, { rawBody: true })` and ' +
        "keep Nest's built-in body parser (raise its limit with " +
        "`app.useBodyParser('json', { limit: '5mb' })`)."),
  unsupportedMediaType: (contentType: string | undefined) =>
    `WhatsApp webhook: expected Content-Type application/json, got ${contentType ? JSON.stringify(contentType) : 'none'}.`,
  signatureMissing: () => 'WhatsApp webhook: missing X-Hub-Signature-256 header.',
  signatureMalformed: () =>
    'WhatsApp webhook: malformed X-Hub-Signature-256 header (expected "sha256=" and 64 hex digits).',
  signatureMismatch: () =>
    'WhatsApp webhook: X-Hub-Signature-256 does not match the request body for any configured app secret.',
  handshakeRejected: () =>
    'WhatsApp webhook verification failed: hub.mode must be "subscribe" and hub.verify_token must match a configured verify token.',
  invalidEnvelope: (errors: readonly string[]) =>
    `WhatsApp webhook: not a WhatsApp Business Account webhook envelope: ${errors.join('; ')}.`,
  invalidValues: (count: number, errors: readonly string[]) =>
    `WhatsApp webhook: ${count} change(s) failed validation: ${errors.join('; ')}.`,
  payloadValidatorChosen: (name: string, tested: string) =>
    `Payload validator in use: ${name} (peer versions tested: ${tested})`,
  invalidValueLogged: (field: string, entryId: string, errors: readonly string[]) =>
    `Change of field "${field}" (entry ${entryId}) failed validation and was emitted to @OnWabaInvalid() listeners only: ${errors.join('; ')}`,
  listenerFailed: (listener: string, field: string, error: unknown) =>
    `Listener ${listener} failed on a "${field}" event: ${error instanceof Error ? error.message : String(error)}`,
  listenersFailed: (failed: number, total: number) =>
    `WhatsApp webhook: ${failed} of ${total} listener call(s) failed; answering 500 so that Meta redelivers the request.`,
  observerFailed: (event: string, error: unknown) =>
    `@OnEvent('${event}') observer failed: ${error instanceof Error ? error.message : String(error)} (the delivery is not affected)`,
  publishingOnEventEmitter: () =>
    'Publishing WhatsApp webhook events on the application EventEmitter2 (waba.<field>, waba.message.<type>, waba.status.<status>, waba.invalid, waba.delivery_failed).',
  onboarded: (wabaId: string, changed: boolean) =>
    `Onboarding: WABA ${wabaId} ${changed ? 'subscribed to' : 'was already subscribed to as asked'} (PARTNER_ADDED).`,
  onboardingSkipped: (wabaId: string) =>
    `Onboarding: WABA ${wabaId} skipped (the autoSubscribe function returned false).`,
  onboardingNotConfigured: (jobId: string) =>
    `Onboarding job ${jobId} reached a worker without the onboarding option; nothing was subscribed (give every instance the same options).`,
  onboardingFailed: (wabaId: string, attempts: number, reason: string) =>
    `Onboarding: subscribing to WABA ${wabaId} failed after ${attempts} attempt(s): ${reason}`,
  redisPingTimeout: (ms: number) => `Redis did not answer PING within ${ms} ms`,
  notAllowed: (kind: string, id: string, field: string) =>
    `A "${field}" change of ${kind} ${id}, not in the allow-list, was acknowledged and not emitted.`,
  duplicatesDropped: (count: number, total: number) =>
    `${count} of ${total} update(s) already delivered (Meta redelivers); not emitted again.`,
  dedupStoreFailed: (error: unknown) =>
    `WhatsApp webhook: the deduplication store failed (${error instanceof Error ? error.message : String(error)}); answering 503 so that Meta redelivers.`,
  enqueueFailed: (error: unknown) =>
    `WhatsApp webhook: could not queue the update(s) (${error instanceof Error ? error.message : String(error)}); answering 503 so that Meta redelivers.`,
  enqueueTimedOut: (ms: number) => `Redis did not confirm the enqueue within ${ms} ms`,
  /**
   * The error of a queue job whose listeners failed on attempt `attempt` of `attempts`: before
   * the last one BullMQ retries it after the backoff; after the last one it stays in the failed set.
   */
  jobListenersFailed: (
    failed: number,
    total: number,
    attempt: number,
    attempts: number,
    jobId: string,
  ) =>
    attempt < attempts
      ? `${failed} of ${total} listener call(s) failed on attempt ${attempt} of ${attempts}; ` +
        `the update will be retried after the backoff (retry ${attempt} of ${attempts - 1})`
      : `${failed} of ${total} listener call(s) failed on the final attempt (${attempt} of ${attempts}); ` +
        `the update is not retried again and stays in the failed set: ` +
        `replay it with "waba-webhooks jobs retry ${jobId}"`,
  /** The error of a group job some of whose updates' listeners failed (see jobListenersFailed). */
  groupListenersFailed: (
    failedUpdates: number,
    updates: number,
    failedCalls: number,
    calls: number,
    attempt: number,
    attempts: number,
    jobId: string,
  ) =>
    `${failedUpdates} of ${updates} update(s) of the group had listener calls fail ` +
    `(${failedCalls} of ${calls} listener call(s) failed) ` +
    (attempt < attempts
      ? `on attempt ${attempt} of ${attempts}; they will be retried after the backoff ` +
        `(retry ${attempt} of ${attempts - 1}), the others are not run again`
      : `on the final attempt (${attempt} of ${attempts}); they are not retried again and stay ` +
        `in the failed set: replay them with "waba-webhooks jobs retry ${jobId}"`),
  groupDeliveryFailed: (
    count: number,
    fields: readonly string[],
    jobId: string,
    attempts: number,
    error: string,
  ) =>
    `${count} update(s) (${fields.map((field) => `"${field}"`).join(', ')}) of a group failed after ` +
    `${attempts} attempt(s) and stay in the failed set as job ${jobId} ` +
    `(replay it with "waba-webhooks jobs retry ${jobId}"). Last error: ${error}`,
  // The dedup key is not named: a group-message status's key holds the participant's number.
  deliveryFailed: (field: string, jobId: string, attempts: number, error: string) =>
    `A "${field}" update failed after ${attempts} attempt(s) and stays in the failed set as job ${jobId} ` +
    `(replay it with "waba-webhooks jobs retry ${jobId}"). Last error: ${error}`,
  deliveryFailedKey: (jobId: string, key: string) => `Failed job ${jobId} holds update ${key}`,
  requestRejected: (status: number, reason: string, address: string | undefined, detail: string) =>
    `Rejected webhook POST from ${address?.slice(0, 64) ?? 'an unknown address'}: ${status} ${reason}: ${detail}`,
  rejectionsSuppressed: (reason: string, count: number, windowMs: number) =>
    `Rejected webhook POSTs: ${count} more ${reason} suppressed in the last ${windowMs / 1000} s ` +
    `(all are counted in webhook_requests_total{outcome="${reason}"} when metrics are on)`,
  optionalPackageMissing: (neededBy: string, name: string, install: string) =>
    `${neededBy} needs the optional package "${name}": npm install ${install}`,
  terminusModuleMissing: () =>
    'WabaHealthIndicator needs TerminusModule: add TerminusModule (from @nestjs/terminus) to the ' +
    'imports of the module that provides WabaHealthIndicator.',
  queueNotReady: (ms: number) =>
    `Redis was not reachable within ${ms} ms at startup; webhooks are answered 503 until it is.`,
  requestScopedListener: (listener: string) =>
    `Listener ${listener} belongs to a request-scoped provider; WhatsApp webhook listeners must be singleton (default scope) providers, so it is ignored.`,
  shutdownHooksOff: (atRisk: 'listeners' | 'jobs') =>
    'Shutdown hooks are off (nothing listens to SIGTERM): call app.enableShutdownHooks() in ' +
    'your bootstrap. Without it, a deploy or scale-down ' +
    (atRisk === 'listeners'
      ? 'kills the listeners of updates already acknowledged to Meta, which never redelivers them.'
      : 'abandons the jobs in progress, which run again only once their lock expires.'),
};

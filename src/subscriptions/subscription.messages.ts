/**
 * A bad ID as an error shows it: short values verbatim (so the caller sees what was passed),
 * long ones or ones with `|` (an app access token passed by mistake) only by their length.
 */
function describeValue(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  if (value.length > 40 || value.includes('|')) {
    return `a string of ${value.length} character(s)`;
  }
  return JSON.stringify(value);
}

/**
 * Error and log messages of `SubscriptionService` and its Graph API client. None of them takes
 * a token, a verify token or a callback URI (which may carry credentials in its query).
 *
 * @internal
 */
export const subscriptionMessages = {
  missingAccessToken: () =>
    'SubscriptionService: no access token. Set the module option "accessToken" or pass ' +
    '{ accessToken } to the call.',
  missingAppAccessToken: (method: string) =>
    `SubscriptionService.${method}: appAccessToken is required (an app access token, "{app-id}|{app-secret}").`,
  invalidId: (name: string, value: unknown) =>
    `SubscriptionService: ${name} must be a Graph object ID (digits only), got ${describeValue(
      value,
    )}; nothing was sent to the Graph API.`,
  overrideWithoutVerifyToken: () =>
    'SubscriptionService: overrideCallbackUri requires verifyToken (the hub.verify_token Meta ' +
    'sends to that URI in the verification handshake).',
  verifyTokenWithoutOverride: () =>
    'SubscriptionService: verifyToken was given without overrideCallbackUri; pass both to set ' +
    'an override, or neither to subscribe without one.',
  emptyVerifyToken: (name: string) => `SubscriptionService: ${name} must be a non-empty string.`,
  invalidCallbackUri: (name: string, problem: string) =>
    `SubscriptionService: ${name} ${problem}; nothing was sent to the Graph API.`,
  invalidFields: (method: string) =>
    `SubscriptionService.${method}: fields must be a non-empty array of field names.`,
  noAppId: () =>
    'the answer has no app "id" (digits); set the module option "appId" to skip this lookup',
  overrideNeedsSubscription: (path: string) =>
    `POST ${path}: Meta wants the app subscribed before an override; subscribing first`,
  throttled: (wabaId: string) =>
    `Meta throttles calls for WABA ${wabaId}; nothing was sent (calls are held back until the ` +
    'window Meta gave ends, or retry.throttleWindowMs after a rate-limit error without one)',
  waitingForThrottle: (method: string, path: string, wabaId: string, waitMs: number) =>
    `${method} ${path} waits ${Math.ceil(waitMs / 1000)} s: Meta throttles calls for WABA ${wabaId}`,
  requestDone: (method: string, path: string, status: number, ms: number) =>
    `${method} ${path} → HTTP ${status} in ${ms} ms`,
  retrying: (
    method: string,
    path: string,
    reason: string,
    attempt: number,
    attempts: number,
    delayMs: number,
  ) =>
    `${method} ${path} failed (${reason}); attempt ${attempt + 1} of ${attempts} in ${delayMs} ms`,
  waitingForMeta: (method: string, path: string, waitMs: number) =>
    `${method} ${path} is throttled; waiting ${Math.ceil(waitMs / 1000)} s as Meta asks before the next attempt`,
  unsuccessful: (value: unknown) =>
    `the answer's "success" is ${value === undefined ? 'missing' : JSON.stringify(value)}, not true`,
  notAnObject: () => 'the answer is not a JSON object',
  noDataArray: () => 'the answer has no "data" array',
  unreadable: (status: number) => `HTTP ${status} with a body that is not JSON`,
  httpErrorWithoutBody: (status: number) => `HTTP ${status} without a Graph error body`,
  timeout: (ms: number) => `no answer within ${ms} ms`,
  networkError: (code: string | undefined, detail: string) =>
    `network error${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`,
  pagingStopped: (path: string, pages: number) =>
    `GET ${path}: stopped following paging.next after ${pages} pages`,
};

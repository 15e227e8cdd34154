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
    `SubscriptionService: ${name} must be a Graph object ID (digits only), got ${
      typeof value === 'string' ? `a string of ${value.length} character(s)` : typeof value
    }.`,
  overrideWithoutVerifyToken: () =>
    'SubscriptionService: overrideCallbackUri requires verifyToken (the hub.verify_token Meta ' +
    'sends to that URI in the verification handshake).',
  verifyTokenWithoutOverride: () =>
    'SubscriptionService: verifyToken was given without overrideCallbackUri; pass both to set ' +
    'an override, or neither to subscribe without one.',
  emptyVerifyToken: (name: string) => `SubscriptionService: ${name} must be a non-empty string.`,
  invalidCallbackUri: (name: string, problem: string) =>
    `SubscriptionService: ${name} ${problem}; nothing was sent to the Graph API.`,
  invalidFields: () =>
    'SubscriptionService.subscribeApp: fields must be a non-empty array of field names.',
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

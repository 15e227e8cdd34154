// Shared by the runner and every contender (the baselines import nothing from the package).

/** App secret of every contender. */
export const APP_SECRET = 'bench-app-secret-7c1f0e4d';
export const VERIFY_TOKEN = 'bench-verify-token';
export const WEBHOOK_PATH = '/webhooks/whatsapp';
export const SIGNATURE_HEADER = 'x-hub-signature-256';

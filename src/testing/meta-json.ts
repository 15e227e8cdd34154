const META_ESCAPES = /[\u0080-\uffff/]/g;

function escapeLikeMeta(char: string): string {
  if (char === '/') return '\\/';
  return '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * Serialises a payload the way Meta does on the wire: `JSON.stringify`, then every non-ASCII
 * UTF-16 code unit as a lowercase `\uXXXX` escape and `/` as `\/`. The result is pure ASCII,
 * and `JSON.parse` of it equals the input — yet its bytes (and so its signature) differ from
 * `JSON.stringify`'s, which is why the signature must be computed over the raw request bytes.
 *
 * @example serializeLikeMeta({ body: 'café https://x.y/z' }) // '{"body":"caf\\u00e9 https:\\/\\/x.y\\/z"}'
 */
export function serializeLikeMeta(payload: unknown): string {
  return JSON.stringify(payload).replace(META_ESCAPES, escapeLikeMeta);
}

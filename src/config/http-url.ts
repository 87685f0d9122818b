// The one test for "is this an http(s) URL", shared by every URL a user can set.

export const HTTP_URL_EXPECTATION = 'expected an http(s) URL';

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * URLs with credentials (http://user:pass@host) are accepted on the command line, but the credentials never reach
 * a log line or an error message: they become an Authorization header and are cut from every printed URL.
 */

/** The URL with its password (and user) replaced by "***", for messages. Text that is no URL is returned as is. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (!url.username && !url.password) return text;
    url.username = "***";
    url.password = "";
    return url.toString().replace(/\/$/, text.endsWith("/") ? "/" : "");
  } catch {
    return text.replace(/\/\/[^/@\s]+@/, "//***@");
  }
}

/** The URL without credentials, and the Basic Authorization header they stood for. */
export function splitCredentials(text: string): { url: string; authorization?: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { url: text };
  }
  if (!url.username && !url.password) return { url: text };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  return {
    url: url.toString().replace(/\/$/, text.endsWith("/") ? "/" : ""),
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
  };
}

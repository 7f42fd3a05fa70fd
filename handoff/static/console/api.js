// Agent/admin REST client: cookie session + CSRF header on every unsafe request, JSON errors as ApiError.

const CSRF_KEY = "nordwind-console:csrf";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export const csrf = {
  get() {
    return window.sessionStorage.getItem(CSRF_KEY) || "";
  },
  set(token) {
    if (token) {
      window.sessionStorage.setItem(CSRF_KEY, token);
    } else {
      window.sessionStorage.removeItem(CSRF_KEY);
    }
  },
};

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  if (UNSAFE.has(method) && csrf.get()) {
    headers["X-CSRF-Token"] = csrf.get();
  }
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || String(response.status),
      error.message || `Anfrage fehlgeschlagen (HTTP ${response.status}).`, error.field);
  }
  return data;
}

/** The API may wrap lists (`{"items": [...]}`) or return them bare; the console accepts both. */
export function listFrom(data, ...keys) {
  if (Array.isArray(data)) {
    return data;
  }
  for (const key of keys) {
    if (data && Array.isArray(data[key])) {
      return data[key];
    }
  }
  return [];
}

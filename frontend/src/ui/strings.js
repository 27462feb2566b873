// The interface's words come from the server (offline/strings.py) as JSON in the page's
// language, at the versioned address in <meta name="lentera-strings"> (kept for good by the
// browser, and precached by the service worker for offline use): nothing the learner reads is
// written here. `loadStrings()` must have settled before `t()` says anything.

let cache = {};
let loading = null;

function address() {
  const meta = document.querySelector('meta[name="lentera-strings"]');
  return meta?.content || null;
}

/** Fetch the page's strings once (a second call gets the same promise). Resolves to whether
 * there are any: without them (no address, offline with nothing cached) the offline interface
 * stays off and the server-rendered page is left as it is. */
export function loadStrings() {
  if (!loading) {
    const url = address();
    loading = (async () => {
      if (!url) return false;
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        const data = response.ok ? await response.json() : null;
        if (data && typeof data === "object") cache = data;
      } catch {
        // Offline without the service worker's copy: no words, no offline interface.
      }
      return hasStrings();
    })();
  }
  return loading;
}

/** Whether the strings are loaded (pages without them get no offline interface). */
export function hasStrings() {
  return Object.keys(cache).length > 0;
}

/** The string `key` with its `%(name)s` placeholders filled from `params` (`%%` is "%"). */
export function t(key, params = {}) {
  const text = cache[key] ?? "";
  return text.replace(/%\((\w+)\)s|%%/g, (match, name) =>
    name === undefined ? "%" : String(params[name] ?? ""),
  );
}

/** A raw value of the strings' JSON (addresses such as the certificate page). */
export function value(key) {
  return cache[key];
}

/** The page's language ("id" or "en"), for number and date formats. */
export function language() {
  return document.documentElement.lang || "id";
}

const UNITS = [
  ["gigabyte", 1e9],
  ["megabyte", 1e6],
  ["kilobyte", 1e3],
];

/** A byte count as people read it in the page's language: "1,5 MB" in Indonesian. */
export function formatBytes(bytes) {
  const count = Math.max(0, Number(bytes) || 0);
  const [unit, size] = UNITS.find(([, size]) => count >= size) ?? ["kilobyte", 1e3];
  return new Intl.NumberFormat(language(), {
    style: "unit",
    unit,
    unitDisplay: "short",
    maximumFractionDigits: count >= size * 10 ? 0 : 1,
  }).format(count / size);
}

/** A date (and time) in the page's language. */
export function formatDate(iso) {
  return new Intl.DateTimeFormat(language(), { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
}

/** A whole percentage: "75%" (or "75 %" where the language writes it so). */
export function formatPercent(percent) {
  return new Intl.NumberFormat(language(), { style: "percent", maximumFractionDigits: 0 }).format(
    (Number(percent) || 0) / 100,
  );
}

/** A number (a score) in the page's language. */
export function formatNumber(number) {
  return new Intl.NumberFormat(language(), { maximumFractionDigits: 2 }).format(Number(number));
}

// The sign-out's question when records made offline are still on the device. The server's
// Clear-Site-Data "storage" empties the whole of IndexedDB, so the unsent records of another
// account that signed in on this device (which only that account can send) are lost too: the
// question counts them and says so. The strings must be loaded (ui/strings.js, loadStrings).
import { t } from "./ui/strings.js";

/** The question to ask, or null when nothing is waiting. `counts` is db.outboxCountAll()'s
 * {total, byAccount}. */
export function unsentQuestion(account, { total, byAccount }) {
  if (!total) return null;
  const others = total - (byAccount[account] || 0);
  return others
    ? t("sign_out_unsent_others", { count: total, others })
    : t("sign_out_unsent", { count: total });
}

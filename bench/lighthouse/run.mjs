// One Lighthouse run (its default mobile preset, the performance category) for `make
// bench-browser`: node run.mjs URL OUTPUT.json [COOKIE_NAME COOKIE_VALUE]
//
// The session cookie goes into the browser's cookie jar rather than into an extra header, so
// that every request carries it as a signed-in phone's would, the service worker's included.
// Lighthouse's storage reset keeps cookies (clearStorageTypes leaves them out).
import { writeFileSync } from "node:fs";
import lighthouse from "lighthouse";
import puppeteer from "puppeteer-core";

const [url, output, cookieName, cookieValue] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage();
  if (cookieName) {
    await browser.setCookie({ name: cookieName, value: cookieValue, domain: new URL(url).hostname, path: "/" });
  }
  const result = await lighthouse(
    url,
    { output: "json", onlyCategories: ["performance"], logLevel: "error" },
    undefined,
    page,
  );
  writeFileSync(output, result.report);
} finally {
  await browser.close();
}

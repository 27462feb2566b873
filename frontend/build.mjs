// Bundles frontend/src into the files Django serves (committed, so `make run` needs no Node):
//   static/js/lentera.js  the page script (main.js), an IIFE loaded with `defer`
//   static/js/sw.js       the service worker (sw.js), a classic script; /sw.js prepends its config
//   static/js/package-player.js  the package runtime (package-player.js) on the package origin's
//                         player page: scorm-again's SCORM 1.2 and 2004 APIs, the H5P bridge
//   static/vendor/h5p-standalone/  h5p-standalone's dist files and licence, copied as published
// `node build.mjs` (or `make frontend` from the repository root).
import { gzipSync } from "node:zlib";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const banner = "/* Lentera: built from frontend/ by `make frontend`; edit the sources, not this file. */";

const outputs = [
  { entry: "src/main.js", out: "static/js/lentera.js" },
  { entry: "src/sw.js", out: "static/js/sw.js" },
  // The package origin's service worker (/paket/sw.js) and its save page's script (issue 18, H6).
  { entry: "src/package-sw.js", out: "static/js/package-sw.js" },
  { entry: "src/package-save.js", out: "static/js/package-save.js" },
  { entry: "src/package-player.js", out: "static/js/package-player.js" },
];

for (const { entry, out } of outputs) {
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    outfile: `${root}${out}`,
    bundle: true,
    format: "iife",
    minify: true,
    // Browsers with service workers, IndexedDB promises and async/await; older ones run the site
    // without this script's enhancements.
    target: ["chrome90", "firefox90", "safari15", "edge90"],
    // Workbox drops its development logging and assertions in production builds.
    define: { "process.env.NODE_ENV": '"production"' },
    banner: { js: banner },
    legalComments: "none",
    charset: "utf8",
    logLevel: "warning",
  });
  const bytes = readFileSync(`${root}${out}`);
  console.log(`${out}: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`);
}

// h5p-standalone as published on npm (MIT): its player and frame bundles, styles, fonts and images,
// with its licences, served from /static/vendor/h5p-standalone/ on the package origin.
const h5pSource = fileURLToPath(new URL("node_modules/h5p-standalone/", import.meta.url));
const h5pTarget = `${root}static/vendor/h5p-standalone/`;
rmSync(h5pTarget, { recursive: true, force: true });
for (const name of ["dist/main.bundle.js", "dist/main.bundle.js.LICENSE.txt", "dist/frame.bundle.js", "dist/styles", "dist/fonts", "dist/images", "LICENSE"]) {
  cpSync(`${h5pSource}${name}`, `${h5pTarget}${name.replace(/^dist\//, "")}`, { recursive: true });
}
console.log("static/vendor/h5p-standalone/: copied from h5p-standalone");

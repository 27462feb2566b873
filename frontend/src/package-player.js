/*
 * package-player.js: the runtime of a SCORM or H5P package, on the package origin's player page
 * (/paket/<uuid>/putar/), inside the lesson page's iframe. See player/player.js (messages),
 * player/scorm.js (what SCORM 1.2 / 2004 support there is) and player/h5p.js.
 */
import { startPlayer } from "./player/player.js";

startPlayer(window, document);

#!/usr/bin/env node
// Draws the Teams app icons (node:zlib only; run `node manifests/teams/make-icons.mjs`):
//   color.png   192×192, full colour: a white arch bridge over light-blue water on #1d3557
//               (full bleed — Teams rounds the tile itself), symbol inside the central 120×120.
//   outline.png 32×32, the bridge alone in white on a transparent background.
// Shapes are described in a unit square and anti-aliased by 8×8 supersampling. The output is
// deterministic, so regenerating gives the same files.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodePng } from "./png-zip.mjs";

const here = dirname(fileURLToPath(import.meta.url));

const NAVY = [0x1d, 0x35, 0x57];
const WHITE = [0xff, 0xff, 0xff];
const OFF_WHITE = [0xf1, 0xfa, 0xee];
const WATER = [0xa8, 0xda, 0xdc];

// The arch passes through both ends of the deck and peaks at APEX_V.
const DECK_TOP = 0.6;
const ARCH_END_U = 0.08;
const APEX_V = 0.18;
const ARCH_CY = (ARCH_END_U - 0.5) ** 2 / (2 * (DECK_TOP - APEX_V)) + (DECK_TOP + APEX_V) / 2;
const ARCH_R = ARCH_CY - APEX_V;

/** Which part of the bridge (u, v) in the unit square belongs to: "bridge", "water" or null. */
function bridgeAt(u, v, s) {
  const deckBottom = DECK_TOP + s.deck;
  if (u >= 0 && u <= 1 && v >= DECK_TOP && v <= deckBottom) return "bridge";
  const d = Math.hypot(u - 0.5, v - ARCH_CY);
  if (v <= DECK_TOP && Math.abs(d - ARCH_R) <= s.arch / 2) return "bridge";
  if (v <= DECK_TOP && d <= ARCH_R) {
    for (const x of [0.3, 0.5, 0.7]) if (Math.abs(u - x) <= s.hanger / 2) return "bridge";
  }
  if (s.water) {
    for (const [top, inset] of [
      [0.8, 0.12],
      [0.91, 0.26],
    ]) {
      if (v >= top && v <= top + s.water && u >= inset && u <= 1 - inset) return "water";
    }
  }
  return null;
}

/**
 * Render size×size RGBA: `background` (or transparent when null), the symbol drawn in the box
 * [box.x, box.x + box.size) in `colors`.
 */
function render(size, background, box, strokes, colors) {
  const SS = 8;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const cover = { bridge: 0, water: 0 };
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const u = (px + (sx + 0.5) / SS - box.x) / box.size;
          const v = (py + (sy + 0.5) / SS - box.y) / box.size;
          const part = bridgeAt(u, v, strokes);
          if (part) cover[part] += 1;
        }
      }
      const n = SS * SS;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      // Composite the parts over the background ("over", premultiplied).
      const layers = [];
      if (background) layers.push([background, 1]);
      if (cover.water) layers.push([colors.water, cover.water / n]);
      if (cover.bridge) layers.push([colors.bridge, cover.bridge / n]);
      for (const [[cr, cg, cb], alpha] of layers) {
        r = cr * alpha + r * (1 - alpha);
        g = cg * alpha + g * (1 - alpha);
        b = cb * alpha + b * (1 - alpha);
        a = alpha + a * (1 - alpha);
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
      }
      rgba[i + 3] = Math.round(a * 255);
    }
  }
  return rgba;
}

export function colorIcon() {
  const size = 192;
  const rgba = render(
    size,
    NAVY,
    { x: 36, y: 30, size: 120 },
    { deck: 0.075, arch: 0.075, hanger: 0.04, water: 0.04 },
    { bridge: OFF_WHITE, water: WATER },
  );
  return encodePng(size, size, rgba);
}

export function outlineIcon() {
  const size = 32;
  const rgba = render(
    size,
    null,
    { x: 1, y: 3, size: 30 },
    { deck: 0.1, arch: 0.1, hanger: 2 / 30, water: 0 },
    { bridge: WHITE, water: WHITE },
  );
  return encodePng(size, size, rgba);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(join(here, "color.png"), colorIcon());
  writeFileSync(join(here, "outline.png"), outlineIcon());
  console.log(`wrote ${join(here, "color.png")} (192×192) and ${join(here, "outline.png")} (32×32)`);
}

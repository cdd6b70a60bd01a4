// Draws meet's built-in virtual backgrounds in headless Chromium and saves
// them as WebP in src/effects/backgrounds/ (committed; run again only to
// change them): `node build/make-backgrounds.mjs`. Every image is drawn here
// from shapes and gradients, so meet owns them outright.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'effects', 'backgrounds');
const W = 1280;
const H = 720;

// Each drawing runs in the page with (ctx, W, H) and a seeded random().
const scenes = {
  // Evening sky over layered hills.
  hills: (ctx, W, H, random) => {
    const sky = ctx.createLinearGradient(0, 0, 0, H);
    sky.addColorStop(0, '#23305e');
    sky.addColorStop(0.55, '#c9677a');
    sky.addColorStop(1, '#f3b27a');
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, W, H);
    ctx.fillStyle = 'rgba(255, 236, 190, 0.9)';
    ctx.beginPath();
    ctx.arc(W * 0.72, H * 0.52, 60, 0, Math.PI * 2);
    ctx.fill();
    const layers = ['#7a4d6e', '#5a3a5e', '#3b2748', '#241a33'];
    layers.forEach((color, i) => {
      ctx.fillStyle = color;
      ctx.beginPath();
      const base = H * (0.58 + i * 0.1);
      ctx.moveTo(0, H);
      for (let x = 0; x <= W; x += 20) ctx.lineTo(x, base + Math.sin(x / (140 + i * 60) + i * 2) * (40 - i * 6) + random() * 6);
      ctx.lineTo(W, H);
      ctx.fill();
    });
  },
  // A calm room: wall, shelves with books, a plant.
  room: (ctx, W, H, random) => {
    const wall = ctx.createLinearGradient(0, 0, W, 0);
    wall.addColorStop(0, '#e9e2d6');
    wall.addColorStop(1, '#d8cfbf');
    ctx.fillStyle = wall;
    ctx.fillRect(0, 0, W, H);
    ctx.fillStyle = '#b89b7a';
    ctx.fillRect(0, H * 0.86, W, H * 0.14);
    const colors = ['#3c6e71', '#d9a441', '#9c4f46', '#4a5a8a', '#6b8f5e', '#c7744b', '#2f3e46'];
    for (const y of [H * 0.26, H * 0.5]) {
      ctx.fillStyle = '#8a6a4a';
      ctx.fillRect(W * 0.58, y, W * 0.36, 12);
      let x = W * 0.6;
      while (x < W * 0.9) {
        const w = 14 + random() * 18;
        const h = 70 + random() * 50;
        ctx.fillStyle = colors[Math.floor(random() * colors.length)];
        ctx.fillRect(x, y - h, w, h);
        x += w + 3;
      }
    }
    ctx.fillStyle = '#8c5a3c';
    ctx.fillRect(W * 0.1, H * 0.7, 90, 110);
    ctx.fillStyle = '#4f7d4a';
    for (let i = 0; i < 9; i++) {
      ctx.beginPath();
      ctx.ellipse(W * 0.1 + 45 + Math.cos(i) * 40, H * 0.62 - i * 12, 26, 60, i - 4, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.fillStyle = 'rgba(255, 255, 255, 0.35)';
    ctx.fillRect(W * 0.2, H * 0.12, W * 0.24, H * 0.34);
  },
  // Soft coloured shapes, blurred.
  abstract: (ctx, W, H, random) => {
    ctx.fillStyle = '#1d2b4a';
    ctx.fillRect(0, 0, W, H);
    ctx.filter = 'blur(60px)';
    const colors = ['#4fb3bf', '#e07a5f', '#f2cc8f', '#81b29a', '#7f5fc7'];
    for (let i = 0; i < 9; i++) {
      ctx.fillStyle = colors[i % colors.length];
      ctx.globalAlpha = 0.75;
      ctx.beginPath();
      ctx.arc(random() * W, random() * H, 120 + random() * 160, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.filter = 'none';
    ctx.globalAlpha = 1;
  },
  // Sea and sky at midday.
  sea: (ctx, W, H, random) => {
    const sky = ctx.createLinearGradient(0, 0, 0, H * 0.55);
    sky.addColorStop(0, '#5da9e9');
    sky.addColorStop(1, '#cfe8f7');
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, W, H * 0.55);
    const sea = ctx.createLinearGradient(0, H * 0.55, 0, H);
    sea.addColorStop(0, '#2a7fa8');
    sea.addColorStop(1, '#0f4c6b');
    ctx.fillStyle = sea;
    ctx.fillRect(0, H * 0.55, W, H * 0.45);
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    for (let i = 0; i < 5; i++) {
      const x = random() * W;
      const y = 60 + random() * 160;
      for (let j = 0; j < 5; j++) {
        ctx.beginPath();
        ctx.ellipse(x + j * 34, y + Math.sin(j) * 8, 46, 22, 0, 0, Math.PI * 2);
        ctx.fill();
      }
    }
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.25)';
    ctx.lineWidth = 2;
    for (let i = 0; i < 60; i++) {
      const x = random() * W;
      const y = H * 0.58 + random() * H * 0.4;
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + 30 + random() * 40, y);
      ctx.stroke();
    }
    ctx.fillStyle = '#e9d8a6';
    ctx.beginPath();
    ctx.moveTo(0, H);
    ctx.quadraticCurveTo(W * 0.3, H * 0.82, W * 0.55, H);
    ctx.fill();
  },
  // A quiet geometric pattern.
  tiles: (ctx, W, H, random) => {
    const palette = ['#264653', '#2a9d8f', '#e9c46a', '#f4a261', '#e76f51', '#f1faee'];
    const s = 80;
    for (let y = 0; y < H; y += s) {
      for (let x = 0; x < W; x += s) {
        ctx.fillStyle = palette[Math.floor(random() * 2)];
        ctx.fillRect(x, y, s, s);
        ctx.fillStyle = palette[2 + Math.floor(random() * 4)];
        ctx.beginPath();
        const r = Math.floor(random() * 4);
        const cx = x + (r % 2) * s;
        const cy = y + Math.floor(r / 2) * s;
        ctx.moveTo(cx, cy);
        ctx.arc(cx, cy, s, 0, Math.PI * 2);
        ctx.save();
        ctx.clip(new Path2D(`M${x} ${y}h${s}v${s}h-${s}z`));
        ctx.fill();
        ctx.restore();
      }
    }
    ctx.fillStyle = 'rgba(20, 30, 40, 0.25)';
    ctx.fillRect(0, 0, W, H);
  },
};

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
for (const [name, draw] of Object.entries(scenes)) {
  const dataUrl = await page.evaluate(
    ({ src, W, H }) => {
      let seed = 7;
      const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
      const canvas = document.createElement('canvas');
      canvas.width = W;
      canvas.height = H;
      new Function('return ' + src)()(canvas.getContext('2d'), W, H, random);
      return canvas.toDataURL('image/webp', 0.8);
    },
    { src: draw.toString(), W, H },
  );
  const bytes = Buffer.from(dataUrl.split(',')[1], 'base64');
  if (bytes.length > 150 * 1024) throw new Error(`${name}: ${bytes.length} bytes, over 150 KB`);
  writeFileSync(join(OUT, `${name}.webp`), bytes);
  console.log(`${name}.webp ${(bytes.length / 1024).toFixed(1)} KB`);
}
await browser.close();
